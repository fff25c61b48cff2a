import { describe, expect, it } from 'vitest';
import { withTaskTrailer } from '../../../src/landing/trailer.js';

describe('withTaskTrailer', () => {
  it('adds the trailer as a paragraph of its own to a message without trailers', () => {
    expect(withTaskTrailer('Add the parser', 'A1')).toBe('Add the parser\n\nTask: A1\n');
    expect(withTaskTrailer('Add the parser\n\nIt reads CSV.\n\n', 'A1')).toBe('Add the parser\n\nIt reads CSV.\n\nTask: A1\n');
  });

  it('joins an existing trailer block', () => {
    expect(withTaskTrailer('Add the parser\n\nCo-authored-by: Ada <ada@example.com>\n', 'BACK-12.3')).toBe(
      'Add the parser\n\nCo-authored-by: Ada <ada@example.com>\nTask: BACK-12.3\n',
    );
  });

  it('leaves a message that already has the trailer as it is', () => {
    expect(withTaskTrailer('feat(A1): Add the parser\n\nTask: A1\n', 'A1')).toBe('feat(A1): Add the parser\n\nTask: A1\n');
  });

  it("does not take another task's trailer for its own", () => {
    expect(withTaskTrailer('fix: shared\n\nTask: A2\n', 'A1')).toBe('fix: shared\n\nTask: A2\nTask: A1\n');
  });
});
