import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionDto, ConnectionInput, ConnectionUpdate, RegionDto } from '../../ipc';
import { installFakeBackend, removeFakeBackend } from '../../ipc/testBackend';
import { SecretState } from '../ConnectionsScreen';
import { ConnectionDialog, validateConnection, type ConnectionFormValues } from './ConnectionDialog';

const REGIONS: RegionDto[] = [{ name: 'AWS US West', baseUrl: 'https://aws-api.sigmacomputing.com' }];

function saved(overrides: Partial<ConnectionDto> = {}): ConnectionDto {
  return {
    name: 'Corp',
    kind: 'org',
    baseUrl: 'https://aws-api.sigmacomputing.com',
    region: 'AWS US West',
    clientId: 'cid',
    tenant: null,
    hasSecret: true,
    secretStatus: 'stored',
    caFile: null,
    ...overrides,
  };
}

/** A fake Rust side for the dialog: records what add/update were sent; refuses CA files not ending in .pem as Rust would. */
function fakeBackend() {
  const added: ConnectionInput[] = [];
  const updates: ConnectionUpdate[] = [];
  installFakeBackend((cmd, args) => {
    if (cmd === 'add_connection') {
      const input = args.input as ConnectionInput;
      if (input.caFile && !input.caFile.endsWith('.pem'))
        throw { code: 'invalid_profile', message: `invalid profile: the CA certificate file '${input.caFile}' is not a valid PEM file`, requestId: null, rule: null };
      added.push(input);
      return saved({ name: input.name, caFile: input.caFile });
    }
    if (cmd === 'update_connection') {
      const update = args.update as ConnectionUpdate;
      updates.push(update);
      return saved({ caFile: update.clearCaFile ? null : (update.caFile ?? '/etc/ssl/corp.pem') });
    }
    throw { code: 'internal', message: `unexpected ${cmd}`, requestId: null, rule: null };
  });
  return { added, updates };
}

afterEach(() => {
  cleanup();
  removeFakeBackend();
});

const values = (overrides: Partial<ConnectionFormValues> = {}): ConnectionFormValues => ({
  name: 'Corp',
  region: REGIONS[0]!.baseUrl,
  customUrl: '',
  clientId: 'cid',
  secret: 's',
  tenant: '',
  caFile: '',
  ...overrides,
});

describe('ConnectionDialog: CA certificate file', () => {
  it('is optional, and must be a full path when given', () => {
    expect(validateConnection(values(), 'add', [])).toEqual({});
    expect(validateConnection(values({ caFile: '/etc/ssl/certs/corp-ca.pem' }), 'add', [])).toEqual({});
    expect(validateConnection(values({ caFile: 'C:\\certs\\corp.pem' }), 'add', [])).toEqual({});
    expect(validateConnection(values({ caFile: 'corp-ca.pem' }), 'add', []).caFile).toMatch(/full path/);
  });

  it('is sent with a new connection, and Rust refusing the file is shown next to the field', async () => {
    const { added } = fakeBackend();
    const user = userEvent.setup();
    let done: ConnectionDto | null = null;
    render(<ConnectionDialog open mode="add" connection={null} regions={REGIONS} existingNames={[]} onClose={() => {}} onSaved={(c) => (done = c)} />);
    await user.type(await screen.findByLabelText('Name'), 'Corp');
    await user.type(screen.getByLabelText('Client ID'), 'cid');
    await user.type(screen.getByLabelText('Client secret'), 'shh');
    const ca = screen.getByLabelText(/CA certificate file/);
    await user.type(ca, '/etc/ssl/corp.txt');
    await user.click(screen.getByRole('button', { name: 'Add connection' }));
    await waitFor(() => expect(ca.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText(/is not a valid PEM file/)).toBeTruthy();
    expect(added).toHaveLength(0);

    await user.clear(ca);
    await user.type(ca, '/etc/ssl/corp.pem');
    await user.click(screen.getByRole('button', { name: 'Add connection' }));
    await waitFor(() => expect(added).toHaveLength(1));
    expect(added[0]).toMatchObject({ name: 'Corp', clientId: 'cid', secret: 'shh', caFile: '/etc/ssl/corp.pem' });
    await waitFor(() => expect(done).not.toBeNull());
  });

  it('without a file, none is sent', async () => {
    const { added } = fakeBackend();
    const user = userEvent.setup();
    render(<ConnectionDialog open mode="add" connection={null} regions={REGIONS} existingNames={[]} onClose={() => {}} onSaved={() => {}} />);
    await user.type(await screen.findByLabelText('Name'), 'Plain');
    await user.type(screen.getByLabelText('Client ID'), 'cid');
    await user.type(screen.getByLabelText('Client secret'), 'shh');
    await user.click(screen.getByRole('button', { name: 'Add connection' }));
    await waitFor(() => expect(added).toHaveLength(1));
    expect(added[0]!.caFile).toBeNull();
  });

  it('editing shows the current file; emptying the field clears it', async () => {
    const { updates } = fakeBackend();
    const user = userEvent.setup();
    render(
      <ConnectionDialog open mode="edit" connection={saved({ caFile: '/etc/ssl/corp.pem' })} regions={REGIONS} existingNames={['Corp']} onClose={() => {}} onSaved={() => {}} />,
    );
    const ca = (await screen.findByLabelText(/CA certificate file/)) as HTMLInputElement;
    expect(ca.value).toBe('/etc/ssl/corp.pem');
    await user.clear(ca);
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(updates).toHaveLength(1));
    expect(updates[0]).toMatchObject({ caFile: null, clearCaFile: true });
  });

  it('an unchanged file is not sent again', async () => {
    const { updates } = fakeBackend();
    const user = userEvent.setup();
    render(
      <ConnectionDialog open mode="edit" connection={saved({ caFile: '/etc/ssl/corp.pem' })} regions={REGIONS} existingNames={['Corp']} onClose={() => {}} onSaved={() => {}} />,
    );
    await user.type(await screen.findByLabelText('Client ID'), '2');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(updates).toHaveLength(1));
    expect(updates[0]).toMatchObject({ clientId: 'cid2', caFile: null, clearCaFile: false });
  });
});

describe('SecretState', () => {
  it('tells a missing secret from a keyring that cannot be reached', () => {
    const { rerender, container } = render(<SecretState status="stored" />);
    expect(container.textContent).toBe('In the OS keyring');
    rerender(<SecretState status="missing" />);
    expect(container.textContent).toMatch(/^Missing/);
    rerender(<SecretState status="keyringUnavailable" />);
    expect(container.textContent).toMatch(/Keyring unavailable/);
    expect(container.textContent).not.toMatch(/Missing|rotate/i);
  });
});
