import type { ErrorDto } from '../ipc';
import { version } from '../../package.json';

/** The app's version, as built (ui/package.json follows the workspace version). */
export const APP_VERSION: string = version;

/** JWTs and bearer credentials, should a server ever echo one into an error message. */
// Order matters: a "Bearer <jwt>" goes whole before the JWT pattern could leave "Bearer [removed]".
const TOKEN_PATTERNS: RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  /\b(client_secret|secret|password|access_token|refresh_token|subject_token|token)=[^&\s]+/gi,
];

/** Removes anything shaped like a token or credential: diagnostics are pasted into tickets and chats. */
export function redact(text: string): string {
  return TOKEN_PATTERNS.reduce((t, re) => t.replace(re, '[removed]'), text);
}

/**
 * The text "Copy diagnostics" puts on the clipboard: what failed, the error's code, message, rule and Sigma
 * request ID, the connection's name, the time and the app version. Built from these named fields only (never
 * the whole error object), so nothing else that an error might carry can reach it.
 */
export function diagnosticsText(args: { title: string; error: ErrorDto; connection: string | null; at: Date }): string {
  const { title, error, connection, at } = args;
  const lines = [
    'Stand-in diagnostics',
    `What failed: ${title}`,
    `Code: ${error.code}`,
    `Message: ${redact(error.message)}`,
    ...(error.rule ? [`Rule: ${error.rule}`] : []),
    `Request ID: ${error.requestId ?? 'none'}`,
    `Connection: ${connection ?? 'unknown'}`,
    `Time: ${at.toISOString()}`,
    `App version: ${APP_VERSION}`,
  ];
  return lines.join('\n');
}
