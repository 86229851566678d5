import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/core/redact';
import { createMasker } from '../../../src/privacy/mask';

const redact = createRedactor();

describe('createRedactor', () => {
  it('redacts query parameters that carry secrets or personal data', () => {
    for (const name of ['token', 'access_token', 'password', 'passwd', 'email', 'e-mail', 'user_email', 'auth', 'authorization', 'session', 'sessionid', 'secret', 'client_secret', 'credential', 'phone', 'signature', 'sid', 'api_key', 'apikey', 'apiKey', 'x-api-key', 'pass', 'user_pass', 'key', 'code', 'pwd', 'ssn', 'jwt', 'id-token']) {
      expect(redact(`https://shop.example/p?${name}=abc123&q=shoes`), name).toBe(`https://shop.example/p?${name}=REDACTED&q=shoes`);
    }
  });

  it('matches names case-insensitively and after percent-decoding', () => {
    expect(redact('https://a.example/?Email=x%40y.z')).toBe('https://a.example/?Email=REDACTED');
    expect(redact('https://a.example/?user%5Femail=x')).toBe('https://a.example/?user%5Femail=REDACTED');
    expect(redact('https://a.example/?ACCESS_TOKEN=x')).toBe('https://a.example/?ACCESS_TOKEN=REDACTED');
  });

  it('keeps parameters whose names only contain a short secret word', () => {
    const url = 'https://shop.example/search?keyword=red&zipcode=12345&monkey=1&barcode=9&passport=x&compass=n&q=key';
    expect(redact(url)).toBe(url);
  });

  it('redacts parameters in the fragment, as OAuth implicit flows put tokens there', () => {
    expect(redact('https://app.example/cb#access_token=eyJ.abc&token_type=bearer&state=xyz')).toBe(
      'https://app.example/cb#access_token=REDACTED&token_type=REDACTED&state=xyz',
    );
  });

  it('redacts every occurrence and keeps the rest of the URL intact', () => {
    expect(redact('https://a.example/p/q?a=1&token=t1&b=2&token=t2#frag')).toBe('https://a.example/p/q?a=1&token=REDACTED&b=2&token=REDACTED#frag');
  });

  it('redacts parameters with an empty value and separated by semicolons', () => {
    expect(redact('https://a.example/?password=&x=1;secret=s')).toBe('https://a.example/?password=REDACTED&x=1;secret=REDACTED');
  });

  it('tests the raw name when it is a malformed escape', () => {
    expect(redact('https://a.example/?%E0%A4%A_token=x&ok=1')).toBe('https://a.example/?%E0%A4%A_token=REDACTED&ok=1');
  });

  it('adds extra names, matched anywhere and case-insensitively, with regex characters taken literally', () => {
    const r = createRedactor(['coupon', 'a.b']);
    expect(r('https://a.example/?MyCoupon=SAVE10&a.b=1&axb=2')).toBe('https://a.example/?MyCoupon=REDACTED&a.b=REDACTED&axb=2');
  });

  it('returns an empty string for a missing URL', () => {
    expect(redact(undefined as unknown as string)).toBe('');
    expect(redact('')).toBe('');
  });
});

// Was a bug (kept as a regression test): a parameter name ran on past a '?', so the first
// parameter of a hash route's query was named '/cb?code' and short secret names were missed.
describe('createRedactor, queries inside fragments and values', () => {
  it('redacts short secret names in the query of a hash route', () => {
    expect(redact('https://a.example/r?next=1#/cb?code=SECRET&state=s')).toBe('https://a.example/r?next=1#/cb?code=REDACTED&state=s');
    expect(redact('https://a.example/#/login?sid=S')).toBe('https://a.example/#/login?sid=REDACTED');
    expect(redact('https://a.example/#!/reset?key=S')).toBe('https://a.example/#!/reset?key=REDACTED');
    expect(redact('https://a.example/app#/verify?jwt=S')).toBe('https://a.example/app#/verify?jwt=REDACTED');
  });

  it('redacts a secret in a URL carried as a value, and keeps what follows a path parameter', () => {
    expect(redact('https://a.example/login?redirect=/a?token=S&x=1')).toBe('https://a.example/login?redirect=/a?token=REDACTED&x=1');
    expect(redact('https://a.example/p;jsessionid=S?x=1')).toBe('https://a.example/p;jsessionid=REDACTED?x=1');
  });

  it('ignores an empty extra name rather than redacting every parameter', () => {
    expect(createRedactor(['', 'coupon'])('https://a.example/?q=1&coupon=C')).toBe('https://a.example/?q=1&coupon=REDACTED');
  });
});

describe('createRedactor with a masker, every part of the URL', () => {
  const masked = createRedactor([], createMasker());

  it('masks e-mail addresses and tokens in path segments and hash routes', () => {
    expect(masked('https://shop.example/account/jane.doe@example.com/orders')).toBe('https://shop.example/account/[email]/orders');
    expect(masked('https://shop.example/account/jane.doe%40example.com/orders')).toBe('https://shop.example/account/[email]/orders');
    expect(masked('https://shop.example/reset/8f14e45fceea167a5a36dedd4bea2543')).toBe('https://shop.example/reset/[token]');
    expect(masked('https://shop.example/app#/reset/Zm9vYmFyQmF6cXV4MTIzNDU2Nzg5MA?x=1')).toBe('https://shop.example/app#/reset/[token]?x=1');
    expect(masked('/account/jane.doe@example.com/orders')).toBe('/account/[email]/orders');
  });

  it('masks personal data in the value of any parameter, and redacts personal parameter names', () => {
    expect(masked('https://shop.example/s?ref=jane%40example.com&q=jane@example.com+shoes')).toBe('https://shop.example/s?ref=[email]&q=[email]+shoes');
    expect(masked('https://shop.example/?login=jane&mail=x&name=Jane+Doe&tel=%2B491701234567&customer_id=12345&first_name=Jane&username=j')).toBe(
      'https://shop.example/?login=REDACTED&mail=REDACTED&name=REDACTED&tel=REDACTED&customer_id=REDACTED&first_name=REDACTED&username=REDACTED',
    );
    expect(masked('https://shop.example/?note=call+%2B49+170+1234567&card=4111111111111111')).toBe('https://shop.example/?note=call+[phone]&card=[card]');
  });

  it('keeps product slugs, numeric ids, UTM parameters, ad click ids and GA4 field names', () => {
    for (const url of [
      'https://shop.example/product/123',
      'https://shop.example/p/blue-running-shoes-2024?color=red&size=42',
      'https://shop.example/?utm_source=news&utm_medium=email&utm_campaign=bf-2024&utm_content=Cj0KCQiA1234567890abcdefABCDEF',
      'https://shop.example/?gclid=Cj0KCQiA1234567890abcdefABCDEF_xyz&fbclid=IwAR2abcDEF1234567890ghiJKL&msclkid=8f14e45fceea167a5a36dedd4bea2543',
      'https://shop.example/list?item_name=Mug&item_list_name=Home&item_id=SKU-1&page=2',
    ]) {
      expect(masked(url), url).toBe(url);
    }
  });
});
