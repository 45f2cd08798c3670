/**
 * The index a vertical list moves to for ArrowUp/ArrowDown/Home/End, or undefined for other keys.
 * `wrap` makes the arrows cycle (menus); trees and tables stop at the ends.
 */
export function listTarget(key: string, index: number, length: number, wrap = false): number | undefined {
  if (length === 0) return undefined;
  const clamp = (j: number): number => (wrap ? (j + length) % length : Math.max(0, Math.min(length - 1, j)));
  switch (key) {
    case 'ArrowDown':
      return clamp(index + 1);
    case 'ArrowUp':
      return clamp(index - 1);
    case 'Home':
      return 0;
    case 'End':
      return length - 1;
    default:
      return undefined;
  }
}
