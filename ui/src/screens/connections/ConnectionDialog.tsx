import { useEffect, useState, type FormEvent } from 'react';
import { addConnection, toErrorDto, updateConnection, type ConnectionDto, type ErrorDto, type RegionDto } from '../../ipc';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Field } from '../../components/Field';
import { Spinner } from '../../components/Feedback';

const CUSTOM = '__custom__';

type Errors = Partial<Record<'name' | 'url' | 'clientId' | 'secret' | 'caFile', string>>;

/** Checked here for instant feedback; Rust validates again (and its message wins when it disagrees). */
export function validateBaseUrl(url: string): string | null {
  const value = url.trim();
  if (!value) return 'Enter the API base URL, e.g. https://aws-api.sigmacomputing.com';
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return 'This is not a URL. It should look like https://aws-api.sigmacomputing.com';
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(loopback && parsed.protocol === 'http:'))
    return 'Use https:// (plain http is only allowed for a server on this machine).';
  return null;
}

export interface ConnectionFormValues {
  name: string;
  region: string;
  customUrl: string;
  clientId: string;
  secret: string;
  tenant: string;
  /** A PEM file of CA certificates (blank: the system's trust only). Rust checks the file itself. */
  caFile: string;
}

export function validateConnection(v: ConnectionFormValues, mode: 'add' | 'edit', existingNames: string[]): Errors {
  const errors: Errors = {};
  if (!v.name.trim()) errors.name = 'Give the connection a name.';
  else if (existingNames.includes(v.name.trim())) errors.name = 'A connection with this name already exists.';
  if (v.region === CUSTOM) {
    const urlError = validateBaseUrl(v.customUrl);
    if (urlError) errors.url = urlError;
  } else if (!v.region) errors.url = 'Pick the region of your Sigma organization.';
  if (!v.clientId.trim()) errors.clientId = 'Enter the client ID of the API credentials.';
  if (mode === 'add' && !v.secret) errors.secret = 'Enter the client secret. It is stored in the system keyring.';
  const ca = v.caFile.trim();
  if (ca && !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(ca)) errors.caFile = 'Give the full path of the PEM file, e.g. /etc/ssl/certs/corp-ca.pem';
  return errors;
}

export function ConnectionDialog({
  open,
  mode,
  connection,
  regions,
  existingNames,
  onClose,
  onSaved,
}: {
  open: boolean;
  mode: 'add' | 'edit';
  connection: ConnectionDto | null;
  regions: RegionDto[];
  existingNames: string[];
  onClose: () => void;
  onSaved: (c: ConnectionDto) => void;
}) {
  const [values, setValues] = useState<ConnectionFormValues>({ name: '', region: '', customUrl: '', clientId: '', secret: '', tenant: '', caFile: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<ErrorDto | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    const regionOf = (url: string) => regions.find((r) => r.baseUrl === url)?.baseUrl;
    if (connection) {
      const known = regionOf(connection.baseUrl);
      setValues({
        name: connection.name,
        region: known ?? CUSTOM,
        customUrl: known ? '' : connection.baseUrl,
        clientId: connection.clientId,
        secret: '',
        tenant: connection.tenant ?? '',
        caFile: connection.caFile ?? '',
      });
    } else {
      setValues({ name: '', region: regions[0]?.baseUrl ?? CUSTOM, customUrl: '', clientId: '', secret: '', tenant: '', caFile: '' });
    }
    setErrors({});
    setFailure(null);
    setBusy(false);
  }, [open, connection, regions]);

  const set = (key: keyof ConnectionFormValues) => (value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => ({ ...e, [key === 'customUrl' || key === 'region' ? 'url' : key]: undefined }));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const others = existingNames.filter((n) => n !== connection?.name);
    const found = validateConnection(values, mode, others);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const baseUrl = (values.region === CUSTOM ? values.customUrl : values.region).trim().replace(/\/+$/, '');
    const tenant = values.tenant.trim();
    const caFile = values.caFile.trim();
    setBusy(true);
    setFailure(null);
    try {
      const saved =
        mode === 'add' || !connection
          ? await addConnection({ name: values.name.trim(), baseUrl, clientId: values.clientId.trim(), tenant: tenant || null, secret: values.secret, caFile: caFile || null })
          : await updateConnection(connection.name, {
              name: values.name.trim() !== connection.name ? values.name.trim() : null,
              baseUrl: baseUrl !== connection.baseUrl ? baseUrl : null,
              clientId: values.clientId.trim() !== connection.clientId ? values.clientId.trim() : null,
              tenant: tenant && tenant !== connection.tenant ? tenant : null,
              clearTenant: !tenant && connection.tenant !== null,
              caFile: caFile && caFile !== connection.caFile ? caFile : null,
              clearCaFile: !caFile && connection.caFile !== null,
            });
      onSaved(saved);
    } catch (err) {
      const dto = toErrorDto(err);
      // Put Rust's verdict next to the field it is about when we know which one that is.
      if (dto.code === 'profile_exists') setErrors({ name: dto.message });
      else if (dto.code === 'invalid_base_url') setErrors({ url: dto.message });
      else if (dto.code === 'invalid_profile' && dto.message.includes('CA certificate file')) setErrors({ caFile: dto.message });
      else setFailure(dto);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => !o && onClose()}
      title={mode === 'add' ? 'Add connection' : `Edit ${connection?.name ?? 'connection'}`}
      description={mode === 'add' ? 'API credentials of a Sigma organization. The client secret goes to the system keyring and never comes back.' : 'Changes are saved locally; the secret is unchanged (use Rotate secret).'}
      width={520}
    >
      <form className="dialog-body" onSubmit={submit} noValidate>
        <Field label="Name" error={errors.name}>
          {(p) => <input {...p} className="input" value={values.name} autoFocus onChange={(e) => set('name')(e.target.value)} placeholder="Acme production" />}
        </Field>
        <Field label="Region" error={values.region === CUSTOM ? null : errors.url}>
          {(p) => (
            <select {...p} className="select" value={values.region} onChange={(e) => set('region')(e.target.value)}>
              {regions.map((r) => (
                <option key={r.baseUrl} value={r.baseUrl}>
                  {r.name} — {r.baseUrl.replace(/^https:\/\//, '')}
                </option>
              ))}
              <option value={CUSTOM}>Custom URL…</option>
            </select>
          )}
        </Field>
        {values.region === CUSTOM && (
          <Field label="API base URL" error={errors.url} help="The host of Sigma's REST API for your organization.">
            {(p) => <input {...p} className="input mono" value={values.customUrl} onChange={(e) => set('customUrl')(e.target.value)} placeholder="https://api.example.sigmacomputing.com" />}
          </Field>
        )}
        <Field label="Client ID" error={errors.clientId}>
          {(p) => <input {...p} className="input mono" value={values.clientId} autoComplete="off" spellCheck={false} onChange={(e) => set('clientId')(e.target.value)} />}
        </Field>
        {mode === 'add' && (
          <Field label="Client secret" error={errors.secret} help="Stored in the system keyring.">
            {(p) => <input {...p} className="input mono" type="password" value={values.secret} autoComplete="new-password" onChange={(e) => set('secret')(e.target.value)} />}
          </Field>
        )}
        <Field label="Tenant" optional help="The organization ID of a tenant org, to impersonate its users.">
          {(p) => <input {...p} className="input mono" value={values.tenant} onChange={(e) => set('tenant')(e.target.value)} />}
        </Field>
        <Field
          label="CA certificate file"
          optional
          error={errors.caFile}
          help="For an organization behind a private certificate authority: the full path of a PEM file with its CA certificates, trusted besides the system's."
        >
          {(p) => (
            <input
              {...p}
              className="input mono"
              value={values.caFile}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => set('caFile')(e.target.value)}
              placeholder="/etc/ssl/certs/corp-ca.pem"
            />
          )}
        </Field>
        {failure && <ErrorPanel error={failure} title="Could not save the connection" compact />}
        <footer className="dialog-footer">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy && <Spinner size={14} />}
            {mode === 'add' ? 'Add connection' : 'Save changes'}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
