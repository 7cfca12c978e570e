import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AccessPair } from './Badges';

describe('AccessPair', () => {
  it('reads as one sentence naming both sides, with the arrow and badges hidden from screen readers', () => {
    const { container } = render(<AccessPair yours="edit" theirs="VIEW" subject="Tom Lee" />);
    expect(screen.getByText('You: edit. Tom Lee: view.')).toBeTruthy();
    // What assistive technology gets is the sentence, not "Edit → View" nor "for you, for the user".
    const visual = container.querySelector('.access-pair-visual');
    expect(visual?.getAttribute('aria-hidden')).toBe('true');
    expect(visual?.textContent).toBe('Edit→VIEW');
  });
});
