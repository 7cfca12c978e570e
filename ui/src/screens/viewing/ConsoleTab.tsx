import { useEffect, useState, type FormEvent } from 'react';
import { checkConsoleRequest, consoleSend, toErrorDto, type ConsoleCheck, type ConsoleResponse, type ErrorDto } from '../../ipc';
import { Spinner } from '../../components/Feedback';
import { CopyButton } from '../../components/CopyButton';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { sentence } from '../../lib/eligibility';
import { prettyJson } from '../../lib/format';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const EXAMPLES = ['/v2/whoami', '/v2/files?typeFilters=workbook', '/v2/teams', '/v2/credentials'];

/**
 * Sends one request as the user. Rust checks every request before sending (read-only sessions allow only GET;
 * some endpoints reject impersonation tokens) and the verdict is shown as you type, so nothing is sent blind.
 */
export function ConsoleTab({ readOnly }: { readOnly: boolean }) {
  const [method, setMethod] = useState<string>('GET');
  const [path, setPath] = useState('/v2/whoami');
  const [bodyText, setBodyText] = useState('');
  const writes = method !== 'GET';
  const parsedBody = parseBody(writes ? bodyText : '');
  const [check, setCheck] = useState<ConsoleCheck | null>(null);
  const [checkError, setCheckError] = useState<ErrorDto | null>(null);
  const [sending, setSending] = useState(false);
  const [response, setResponse] = useState<ConsoleResponse | null>(null);
  const [sendError, setSendError] = useState<ErrorDto | null>(null);

  useEffect(() => {
    let stale = false;
    setCheck(null);
    const id = setTimeout(() => {
      checkConsoleRequest({ method, path, body: null }).then(
        (c) => {
          if (!stale) {
            setCheck(c);
            setCheckError(null);
          }
        },
        (e: unknown) => {
          if (!stale) setCheckError(toErrorDto(e));
        },
      );
    }, 200);
    return () => {
      stale = true;
      clearTimeout(id);
    };
  }, [method, path]);

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!check?.allowed || sending || !parsedBody.ok) return;
    setSending(true);
    setSendError(null);
    try {
      setResponse(await consoleSend({ method, path, body: parsedBody.value }));
    } catch (err) {
      setResponse(null);
      setSendError(toErrorDto(err));
    } finally {
      setSending(false);
    }
  }

  const ok = response !== null && response.status >= 200 && response.status < 300;
  return (
    <div className="stack">
      <form className="card console-form" onSubmit={send} aria-label="API request">
        <div className="console-line">
          <label className="visually-hidden" htmlFor="console-method">
            Method
          </label>
          <select id="console-method" className="select console-method" value={method} onChange={(e) => setMethod(e.target.value)}>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <label className="visually-hidden" htmlFor="console-path">
            Path
          </label>
          <input
            id="console-path"
            className="input mono console-path"
            value={path}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setPath(e.target.value)}
            aria-describedby="console-check"
          />
          <button type="submit" className="btn btn-primary" disabled={!check?.allowed || sending || !parsedBody.ok}>
            {sending ? <Spinner size={14} /> : null}
            Send
          </button>
        </div>
        {writes && (
          <div className="console-body">
            <label htmlFor="console-body">Request body (JSON, optional)</label>
            <textarea
              id="console-body"
              className="input mono"
              rows={5}
              spellCheck={false}
              value={bodyText}
              onChange={(e) => setBodyText(e.target.value)}
              aria-invalid={!parsedBody.ok}
              aria-describedby={parsedBody.ok ? undefined : 'console-body-error'}
            />
            {!parsedBody.ok && (
              <span id="console-body-error" className="field-error">
                Not valid JSON: {parsedBody.error}
              </span>
            )}
          </div>
        )}
        <div className="console-examples">
          <span className="muted">Try</span>
          {EXAMPLES.map((ex) => (
            <button key={ex} type="button" className="chip chip-button mono" onClick={() => setPath(ex)}>
              {ex}
            </button>
          ))}
          {readOnly && (
            <span className="tag">
              <Icon name="lock" size={12} /> Read-only: GET only
            </span>
          )}
        </div>
        <div id="console-check" className="console-check" aria-live="polite">
          {checkError ? (
            <span className="check check-bad">
              <Icon name="error" size={14} /> {sentence(checkError.message)}
            </span>
          ) : !check ? (
            <span className="check check-pending">
              <Spinner size={12} /> Checking…
            </span>
          ) : check.allowed ? (
            <span className="check check-ok">
              <Icon name="check" size={14} /> Allowed as this user
            </span>
          ) : (
            <span className="check check-bad">
              <Icon name="lock" size={14} /> Blocked: {sentence(check.reason ?? 'this request is not allowed')}
            </span>
          )}
        </div>
      </form>
      {sendError && <ErrorPanel error={sendError} title="The request was refused" />}
      {response && (
        <section className="card card-flush" aria-label="Response">
          <div className="card-head">
            <span className={ok ? 'status-code ok' : 'status-code bad'}>{response.status}</span>
            <span className="muted">{response.elapsedMs} ms</span>
            <span className="toolbar-spacer" />
            <span className="muted">
              Request ID <code className="selectable">{response.requestId ?? '—'}</code>
            </span>
            {response.requestId && <CopyButton text={response.requestId} label="Copy request ID" />}
            <CopyButton text={prettyJson(response.body)} label="Copy response" />
          </div>
          <pre className="json" tabIndex={0} aria-label="Response body">
            {prettyJson(response.body)}
          </pre>
        </section>
      )}
    </div>
  );
}

type ParsedBody = { ok: true; value: unknown } | { ok: false; error: string };

/** An empty body is no body; anything else must be JSON (checked here so a typo is caught before sending). */
export function parseBody(text: string): ParsedBody {
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
