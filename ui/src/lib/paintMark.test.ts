import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { markWhenPainted, USERS_TABLE_PAINTED, USERS_TABLE_ROW } from './paintMark';

const marks = () => performance.getEntriesByName(USERS_TABLE_PAINTED, 'mark');

describe('markWhenPainted', () => {
  let frames: FrameRequestCallback[] = [];
  const runFrame = () => {
    const now = frames;
    frames = [];
    now.forEach((f) => f(performance.now()));
  };
  beforeEach(() => {
    frames = [];
    performance.clearMarks();
    vi.spyOn(window, 'requestAnimationFrame').mockImplementation((f) => {
      frames.push(f);
      return frames.length;
    });
    document.body.innerHTML = '<div id="root"></div>';
  });
  afterEach(() => vi.restoreAllMocks());

  const addUsersTable = (rows: number) => {
    const body = [...Array(rows)].map((_, i) => `<tr aria-rowindex="${i + 2}"><td>u${i}</td></tr>`).join('');
    document.getElementById('root')!.innerHTML =
      `<table aria-label="Users"><thead><tr aria-rowindex="1"><th>Name</th></tr></thead><tbody>${body}</tbody></table>`;
  };

  it('marks two animation frames after the first users row is in the DOM, once', async () => {
    markWhenPainted(document.body, USERS_TABLE_ROW, USERS_TABLE_PAINTED);
    addUsersTable(0); // the header alone is not the table painted
    await Promise.resolve();
    expect(frames).toHaveLength(0);
    addUsersTable(3);
    await Promise.resolve();
    runFrame();
    expect(marks()).toHaveLength(0); // the first frame runs before it is painted
    runFrame();
    expect(marks()).toHaveLength(1);
    addUsersTable(5);
    await Promise.resolve();
    runFrame();
    runFrame();
    expect(marks()).toHaveLength(1);
  });

  it('ignores other tables and gives up after the time limit', async () => {
    vi.useFakeTimers();
    try {
      markWhenPainted(document.body, USERS_TABLE_ROW, USERS_TABLE_PAINTED, { giveUpMs: 1000 });
      document.getElementById('root')!.innerHTML =
        '<table aria-label="Members of Sales"><tbody><tr aria-rowindex="2"><td>x</td></tr></tbody></table>';
      await Promise.resolve();
      expect(frames).toHaveLength(0);
      vi.advanceTimersByTime(1001);
      addUsersTable(2);
      await Promise.resolve();
      expect(frames).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
