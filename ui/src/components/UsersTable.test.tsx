import { fireEvent, render, renderHook, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { filterMembers, UsersTable, useMemberSearch } from './UsersTable';
import { member } from '../test/fixtures';

const members = [
  member({ firstName: 'Tom', lastName: 'Lee', memberType: 'Creator' }),
  member({ firstName: 'Priya', lastName: 'Raman', memberType: 'Admin' }),
  member({ firstName: 'Grace', lastName: 'Chen', memberType: 'Creator', isArchived: true }),
  member({ firstName: 'Aisha', lastName: 'Bello', memberType: 'Explorer' }),
  member({ firstName: 'Lucas', lastName: 'Silva', memberType: 'viewer', isInactive: true }),
];

function names(): string[] {
  return screen.getAllByRole('row').slice(1).map((r) => r.getAttribute('aria-label')?.split(',')[0] ?? '');
}

describe('filterMembers', () => {
  it('matches every word against name and email, case-insensitively', () => {
    expect(filterMembers(members, 'tom').map((m) => m.name)).toEqual(['Tom Lee']);
    expect(filterMembers(members, 'LEE TOM').map((m) => m.name)).toEqual(['Tom Lee']);
    expect(filterMembers(members, 'raman@acme').map((m) => m.name)).toEqual(['Priya Raman']);
    expect(filterMembers(members, '   ')).toHaveLength(5);
    expect(filterMembers(members, 'nobody')).toEqual([]);
  });
});

describe('UsersTable', () => {
  it('sorts by name first and toggles sorting from the headers', () => {
    render(<UsersTable members={members} label="Users" onOpen={() => {}} />);
    expect(names()).toEqual(['Aisha Bello', 'Grace Chen', 'Lucas Silva', 'Priya Raman', 'Tom Lee']);
    const nameHeader = screen.getByRole('columnheader', { name: /Name/ });
    expect(nameHeader.getAttribute('aria-sort')).toBe('ascending');

    fireEvent.click(within(nameHeader).getByRole('button'));
    expect(nameHeader.getAttribute('aria-sort')).toBe('descending');
    expect(names()[0]).toBe('Tom Lee');

    const typeHeader = screen.getByRole('columnheader', { name: /Account type/ });
    fireEvent.click(within(typeHeader).getByRole('button'));
    expect(typeHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(nameHeader.getAttribute('aria-sort')).toBe('none');
    expect(names()[0]).toBe('Priya Raman');

    const statusHeader = screen.getByRole('columnheader', { name: /Status/ });
    fireEvent.click(within(statusHeader).getByRole('button'));
    const order = names();
    expect(order.slice(-2)).toEqual(['Lucas Silva', 'Grace Chen']);
  });

  it('shows account type badges and status pills, and opens a row by click or Enter', () => {
    const onOpen = vi.fn();
    render(<UsersTable members={members} label="Users" onOpen={onOpen} />);
    const grace = screen.getByRole('row', { name: /^Grace Chen/ });
    expect(grace.textContent).toContain('Archived');
    expect(screen.getByRole('row', { name: /^Lucas Silva/ }).textContent).toContain('Inactive');
    expect(screen.getByText('Admin').className).toContain('badge-admin');
    expect(screen.getByText('Viewer').className).toContain('badge-viewer');

    fireEvent.click(grace);
    expect(onOpen).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'Grace Chen' }));
    const tom = screen.getByRole('row', { name: /^Tom Lee/ });
    fireEvent.keyDown(tom, { key: 'Enter' });
    expect(onOpen).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'Tom Lee' }));
  });

  it('filters the sorted rows by a search result, keeping the sort, and counts only the matches', () => {
    const { result, rerender } = renderHook(({ q }) => useMemberSearch(members, q), { initialProps: { q: 'e' } });
    const found = result.current;
    expect(found?.count).toBe(5);
    const view = render(<UsersTable members={members} matches={found} label="Users" onOpen={() => {}} />);
    fireEvent.click(within(screen.getByRole('columnheader', { name: /Name/ })).getByRole('button'));
    expect(names()).toEqual(['Tom Lee', 'Priya Raman', 'Lucas Silva', 'Grace Chen', 'Aisha Bello']);
    // "ra" is only in Priya Raman's and Grace Chen's names and addresses.
    rerender({ q: 'ra' });
    view.rerender(<UsersTable members={members} matches={result.current} label="Users" onOpen={() => {}} />);
    expect(names()).toEqual(['Priya Raman', 'Grace Chen']);
    expect(screen.getByRole('grid', { name: 'Users' }).getAttribute('aria-rowcount')).toBe('3');
    rerender({ q: '' });
    expect(result.current).toBeNull();
  });

  it('orders by email and by name like the collator, ties in list order, and by two columns with Shift', () => {
    const people = [
      member({ firstName: 'Émile', lastName: 'Roy', email: 'emile@x.io', memberType: 'Viewer' }),
      member({ firstName: 'emile', lastName: 'roy', email: 'Emile@x.io', memberType: 'Admin' }),
      member({ firstName: 'Zoë', lastName: 'Park', email: 'zoe@x.io', memberType: 'Admin' }),
      member({ firstName: 'Ann', lastName: 'Ray', email: 'ann@x.io', memberType: 'Viewer' }),
      member({ firstName: 'Øyvind', lastName: 'Berg', email: 'øyvind@x.io', memberType: 'Admin' }),
    ];
    const byBase = new Intl.Collator(undefined, { sensitivity: 'base' });
    const byDefault = new Intl.Collator();
    const stable = (cmp: (a: (typeof people)[number], b: (typeof people)[number]) => number) => people.slice().sort(cmp).map((m) => m.name);
    render(<UsersTable members={people} label="Users" onOpen={() => {}} />);
    expect(names()).toEqual(stable((a, b) => byBase.compare(a.name, b.name)));
    const email = within(screen.getByRole('columnheader', { name: /Email/ })).getByRole('button');
    fireEvent.click(email);
    expect(names()).toEqual(stable((a, b) => byDefault.compare(a.email, b.email)));
    fireEvent.click(email);
    expect(names()).toEqual(stable((a, b) => byDefault.compare(b.email, a.email)));
    // Account type, then name with Shift: Admins first, by name; then Viewers.
    fireEvent.click(within(screen.getByRole('columnheader', { name: /Account type/ })).getByRole('button'));
    fireEvent.click(within(screen.getByRole('columnheader', { name: /Name/ })).getByRole('button'), { shiftKey: true });
    expect(names()).toEqual(stable((a, b) => byBase.compare(a.memberType, b.memberType) || byBase.compare(a.name, b.name)));
  });

  it('announces the full row count for the virtualized body', () => {
    render(<UsersTable members={members} label="Users" onOpen={() => {}} />);
    expect(screen.getByRole('grid', { name: 'Users' }).getAttribute('aria-rowcount')).toBe('6');
  });
});
