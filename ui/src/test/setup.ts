import { afterEach, vi } from 'vitest';
import { cleanup } from '@testing-library/react';

// jsdom lays nothing out: give elements a size so the virtualizer renders rows, and provide the observers
// Radix and @tanstack/react-virtual expect from a browser.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;

Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 1000 });
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
HTMLElement.prototype.getBoundingClientRect = function () {
  return { x: 0, y: 0, top: 0, left: 0, bottom: 600, right: 1000, width: 1000, height: 600, toJSON: () => ({}) } as DOMRect;
};
HTMLElement.prototype.scrollTo = function () {} as typeof HTMLElement.prototype.scrollTo;
Element.prototype.scrollIntoView = function () {};
HTMLElement.prototype.hasPointerCapture = () => false;
HTMLElement.prototype.releasePointerCapture = () => {};

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  window.location.hash = '';
});
