import { describe, expect, it } from 'vitest';
import { isDotenvName, parseDotenv, redactor } from '../../../src/sandbox/dotenv.js';

describe('.env files', () => {
  it('reads NAME=value lines as dotenv tools do', () => {
    const text = ['# comment', 'API_URL=http://localhost:3000', 'export TOKEN="abc def"', "SINGLE='x # y'", 'PLAIN=value # trailing comment', 'MULTI="a\\nb"', 'EMPTY=', 'not a line', ''].join('\n');
    expect(Object.fromEntries(parseDotenv(text))).toEqual({ API_URL: 'http://localhost:3000', TOKEN: 'abc def', SINGLE: 'x # y', PLAIN: 'value', MULTI: 'a\nb', EMPTY: '' });
  });

  it('knows the names setup copies by default', () => {
    expect(['.env', '.env.local', '.env.production'].every(isDotenvName)).toBe(true);
    expect(['env', '.envrc', 'x.env', '.env.'].some(isDotenvName)).toBe(false);
  });

  it('hides every value handed over in a line of output, longest first, and leaves short ones', () => {
    const redact = redactor(['hunter22', 'hunter22-long', 'abc']);
    expect(redact('token hunter22-long and hunter22, abc')).toBe('token *** and ***, abc');
    expect(redactor([])('hunter22')).toBe('hunter22');
  });
});
