import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { filterMembers, UsersTable } from './UsersTable';
import { member } from '../test/fixtures';

const members = [
  member({ firstName: 'Tom', lastName: 'Lee', memberId: 'c0ffee12-0001-4a1b' }),
  member({ firstName: 'Priya', lastName: 'Raman', memberId: 'beef0042-0002-4a1b' }),
];

describe('filterMembers and member IDs', () => {
  it('finds a user by all or part of the member ID', () => {
    expect(filterMembers(members, 'beef0042-0002-4a1b').map((m) => m.name)).toEqual(['Priya Raman']);
    expect(filterMembers(members, 'C0FFEE').map((m) => m.name)).toEqual(['Tom Lee']);
  });
});

describe('UsersTable grid semantics', () => {
  it('is a grid of rows and gridcells, with the full row count and each row’s position', () => {
    render(<UsersTable members={members} label="Users" onOpen={() => {}} />);
    const grid = screen.getByRole('grid', { name: 'Users' });
    expect(grid.getAttribute('aria-rowcount')).toBe('3');
    const rows = screen.getAllByRole('row');
    expect(rows.map((r) => r.getAttribute('aria-rowindex'))).toEqual(['1', '2', '3']);
    // Body cells are gridcells (arrow keys move between rows, as a grid announces); headers stay column headers.
    expect(rows[1]?.querySelectorAll('[role="gridcell"]')).toHaveLength(5);
    expect(screen.getAllByRole('columnheader')).toHaveLength(5);
  });
});
