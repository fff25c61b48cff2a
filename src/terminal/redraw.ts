// Redrawing a block of lines in place through log-update: chosen because it erases exactly what
// it drew last (wrapped lines and a resized terminal included) and writes each frame at once.
import { createLogUpdate } from 'log-update';

export interface Redraw {
  /** Replaces the block drawn last with these lines. */
  draw(lines: readonly string[]): void;
  /** Leaves the last block on screen; later output goes below it. */
  done(): void;
}

export function redrawer(write: (text: string) => void, columns: () => number): Redraw {
  const stream = {
    write: (text: string) => {
      write(text);
      return true;
    },
    get columns() {
      return columns();
    },
    isTTY: true,
  };
  // NOTE: showCursor keeps log-update from hiding the cursor, which would add an exit hook of its own.
  const update = createLogUpdate(stream as unknown as NodeJS.WriteStream, { showCursor: true });
  return {
    draw: (lines) => update(lines.join('\n')),
    done: () => update.done(),
  };
}
