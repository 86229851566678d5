import { describe, expect, it } from 'vitest';
import { createMasker } from '../../../src/privacy/mask';

const mask = createMasker();

describe('createMasker', () => {
  it('masks the e-mail addresses, card numbers and phone numbers of issue 16', () => {
    expect(mask('Logout jane@example.com')).toBe('Logout [email]');
    expect(mask('Signed in as jane.doe+shop@mail.example.co.uk')).toBe('Signed in as [email]');
    expect(mask('Orders of Jane Doe (jane@example.com)')).toBe('Orders of Jane Doe ([email])');
    expect(mask('Pay with card 4111 1111 1111 1111')).toBe('Pay with card [card]');
    expect(mask('Card 5500-0000-0000-0004 or 378282246310005')).toBe('Card [card] or [card]');
    expect(mask('Call +49 170 1234567')).toBe('Call [phone]');
    expect(mask('0170 1234567, (555) 123-4567, 555.123.4567, +44 20 7946 0958')).toBe('[phone], [phone], [phone], [phone]');
  });

  it('masks long hex and base64 tokens and UUIDs', () => {
    expect(mask('reset 8f14e45fceea167a5a36dedd4bea2543')).toBe('reset [token]');
    expect(mask('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0')).toBe('[token].[token]');
    expect(mask('order 550e8400-e29b-41d4-a716-446655440000')).toBe('order [token]');
  });

  it('keeps what analytics needs: short numbers, prices, dates, slugs, a digit run that fails the Luhn check', () => {
    for (const s of [
      'Cart (2)',
      'Add 3 to cart',
      '€ 1,299.00',
      '2024-12-04',
      '04.12.2024',
      'product 123',
      'order-9876543',
      'blue-running-shoes-2024',
      'Page 2 of 10',
      '4111 1111 1111 1112',
      '1733312345678',
      'deadbeef',
      'SummerSale2024',
    ]) {
      expect(mask(s), s).toBe(s);
    }
  });

  it('leaves a kind as it is when its option is false, and everything with false', () => {
    const text = 'jane@example.com +49 170 1234567 4111111111111111 8f14e45fceea167a5a36dedd4bea2543';
    expect(createMasker({ emails: false })(text)).toBe('jane@example.com [phone] [card] [token]');
    expect(createMasker({ phones: false, cards: false })(text)).toBe('[email] +49 170 1234567 4111111111111111 [token]');
    expect(createMasker({ tokens: false })(text)).toBe('[email] [phone] [card] 8f14e45fceea167a5a36dedd4bea2543');
    expect(createMasker(false)(text)).toBe(text);
  });
});
