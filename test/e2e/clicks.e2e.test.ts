import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, type LaunchedBrowser } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';
import { eventsUntil, freshAppId, pluginBundle, pluginPage } from '../support/plugin-page';

const BODY = `
<nav><a id="home" href="/shop?q=shoes&amp;token=abc123&amp;email=a%40b.c&amp;ref=partner7"><span class="icon"><b>Shop</b></span> now</a></nav>
<main>
  <button class="add-to-cart primary" data-ct-item-id="sku-42" data-ct-item-name="${'x'.repeat(5000)}" data-ct-user-note="private"><img alt=""><span>Add <em>to cart</em></span></button>
  <a href="https://elsewhere.example/page?session=s1">Partner</a>
  <a id="js" href="javascript:alert(1)">Script link</a>
  <a id="mail" href="mailto:someone@shop.example">Mail us</a>
  <svg id="chart" width="50" height="50"><a href="/svg-link"><circle class="dot" cx="25" cy="25" r="20"/></a></svg>
  <label>Password <input id="pw" type="password"></label>
  <label>E-mail <input id="mail-in" type="email"></label>
  <textarea id="note"></textarea>
  <div id="editor" contenteditable="true"><p>typed here</p></div>
  <div data-ct-ignore><button id="secret">Hidden button</button></div>
  <div data-ct-ignore><p><a id="deep-ignored" href="/x" data-ct-promo="p1">Deep <b>ignored</b></a></p></div>
  <p id="plain">Just text</p>
  <div id="host"></div>
  <section><label id="for-cb" for="cb">Gift wrap</label><input type="checkbox" id="cb"> <label id="wrap-cb"><input type="checkbox"> Express</label></section>
</main>
<script>
  var root = document.getElementById('host').attachShadow({ mode: 'open' });
  root.innerHTML = '<button id="inner" data-ct-location-id="shadow"><span>Shadow buy</span></button>';
  // An app handler that detaches the element it was clicked on.
  document.getElementById('plain').addEventListener('click', function (e) { e.target.remove(); });
</script>`;

describe.runIf(browserAvailable())('clicks() in Chromium', () => {
  let collector: Collector;
  let browser: LaunchedBrowser;
  let page: Page;
  beforeAll(async () => {
    collector = await startCollector();
    collector.page('/ct.js', await pluginBundle(), 'text/javascript');
    browser = await launch();
    const url = collector.url + '/collect';
    // The tracker's own redactParams ('ref') apply to link URLs too (pluginPage puts `plugins` inside createTracker's options).
    collector.page('/clicks.html', pluginPage({ url, appId: freshAppId(), plugins: "[clicktrail.clicks()], redactParams: ['ref']", body: BODY }));
    page = await browser.context.newPage();
    await page.goto(collector.url + '/clicks.html');
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });
  const mark = (m: string) => page.evaluate((n) => (window as any).tracker.track(n), m);
  // Click events between the previous marker and `m` (the tests share one page and session).
  const clicksUntil = async (m: string) => {
    const events = await eventsUntil(collector, m);
    let from = 0;
    events.forEach((e, i) => /^m\d$/.test(e.name) && (from = i + 1));
    return events.slice(from).filter((e) => e.name === 'click' || e.name === 'rage_click');
  };

  it('describes the nearest link or button around a click on a nested element', async () => {
    await page.evaluate(() => document.querySelector('a#home')!.addEventListener('click', (e) => e.preventDefault()));
    await page.click('#home b');
    await page.click('button.add-to-cart em');
    await mark('m1');
    const [link, button] = await clicksUntil('m1');
    expect(link.properties).toEqual({
      tag: 'a',
      id: 'home',
      text: 'Shop now',
      href: `${collector.url}/shop?q=shoes&token=REDACTED&email=REDACTED&ref=REDACTED`,
      selector: '#home',
    });
    expect(button.properties).toMatchObject({ tag: 'button', text: 'Add to cart', selector: 'main>button.add-to-cart.primary' });
    expect(button.properties.data.itemId).toBe('sku-42');
    expect(button.properties.data.itemName).toHaveLength(100);
    // Not a GA4 field, and privacy.dataAttributes does not list it.
    expect(button.properties.data.userNote).toBeUndefined();
    // Each selector parses and finds the element it describes in the page.
    const found = await page.evaluate(
      ([a, b]) => [document.querySelector(a) === document.querySelector('#home'), document.querySelector(b) === document.querySelector('.add-to-cart')],
      [link.properties.selector, button.properties.selector],
    );
    expect(found).toEqual([true, true]);
  });

  it('flags outbound links and keeps only the scheme of javascript: and mailto: links', async () => {
    await page.evaluate(() => document.querySelectorAll('a').forEach((a) => a.addEventListener('click', (e) => e.preventDefault())));
    await page.click('text=Partner');
    await page.click('#js');
    await page.click('#mail');
    await mark('m2');
    const [out, js, mail] = await clicksUntil('m2');
    expect(out.properties).toMatchObject({ href: 'https://elsewhere.example/page?session=REDACTED', outbound: true });
    expect(js.properties).toMatchObject({ id: 'js', href: 'javascript:' });
    expect(mail.properties).toMatchObject({ id: 'mail', href: 'mailto:' });
    expect(js.properties.outbound).toBeUndefined();
  });

  it('describes SVG links, clicks inside open shadow roots and elements the app detaches', async () => {
    await page.evaluate(() => document.querySelector('svg a')!.addEventListener('click', (e) => e.preventDefault()));
    await page.click('circle.dot');
    await page.click('#host >> #inner span'); // playwright pierces the open shadow root
    await page.click('#plain');
    await page.click('button.add-to-cart'); // still works after all that
    await mark('m3');
    const events = await clicksUntil('m3');
    expect(events.map((e) => [e.properties.tag, e.properties.href ?? e.properties.text])).toEqual([
      ['a', `${collector.url}/svg-link`],
      ['button', 'Shadow buy'],
      ['button', 'Add to cart'],
    ]);
    expect(events[1].properties.data).toEqual({ locationId: 'shadow' });
    expect(await page.evaluate(() => [(window as any).errors, (window as any).pageErrors])).toEqual([[], []]);
  });

  it('records nothing inside [data-ct-ignore], however deep, and no clicks on plain text', async () => {
    await page.evaluate(() => document.querySelector('#deep-ignored')!.addEventListener('click', (e) => e.preventDefault()));
    await page.click('#secret');
    await page.click('#deep-ignored b');
    await page.click('main', { position: { x: 400, y: 5 } });
    await mark('m4');
    expect(await clicksUntil('m4')).toEqual([]);
  });

  it('sends one rage_click for three or more fast clicks on the same element', async () => {
    const box = (await page.locator('button.add-to-cart').boundingBox())!;
    for (let i = 0; i < 5; i++) await page.mouse.click(box.x + 5, box.y + 5);
    await mark('m5');
    const events = await clicksUntil('m5');
    expect(events.map((e) => e.name)).toEqual(['click', 'click', 'click', 'rage_click', 'click', 'click']);
    expect(events[3].properties).toMatchObject({ tag: 'button', text: 'Add to cart' });
  });

  it('records one click for a click on a label (not the click the browser forwards to its control) and rage clicks on it', async () => {
    await page.click('#for-cb');
    const wrap = (await page.locator('#wrap-cb').boundingBox())!;
    await page.mouse.click(wrap.x + wrap.width - 4, wrap.y + wrap.height / 2); // on the text, not the box
    await mark('m8');
    expect((await clicksUntil('m8')).map((e) => [e.name, e.properties.id, e.properties.text])).toEqual([
      ['click', 'for-cb', 'Gift wrap'],
      ['click', 'wrap-cb', 'Express'],
    ]);
    // The browser did forward them: both boxes are ticked.
    expect(await page.evaluate(() => [...document.querySelectorAll<HTMLInputElement>('section input')].map((i) => i.checked))).toEqual([true, true]);
    const box = (await page.locator('#for-cb').boundingBox())!;
    for (let i = 0; i < 6; i++) await page.mouse.click(box.x + 5, box.y + 5);
    await mark('m9');
    const events = await clicksUntil('m9');
    expect(events.map((e) => e.name)).toEqual(['click', 'click', 'click', 'rage_click', 'click', 'click', 'click']);
    expect(events.every((e) => e.properties.id === 'for-cb')).toBe(true);
  });

  it('never sends what a shopper types: a password and an e-mail address stay out of every payload', async () => {
    const password = 'Sup3r-Secret-Pa55';
    const email = 'shopper.private@example.org';
    await page.click('#pw');
    await page.keyboard.type(password);
    await page.click('#mail-in');
    await page.keyboard.type(email);
    await page.click('#note');
    await page.keyboard.type(`${email} ${password}`);
    await page.click('#editor p');
    await page.keyboard.type(` ${email} ${password}`);
    await page.click('text=Password');
    await page.click('text=E-mail');
    await page.click('#editor');
    await page.click('button.add-to-cart');
    await mark('m6');
    const events = await clicksUntil('m6');
    expect(events.length).toBeGreaterThanOrEqual(2); // the labels at least
    // A click on a form field is recorded, without text or value.
    expect(events[0].properties).toEqual({ tag: 'input', id: 'pw', selector: '#pw' });
    const everything = collector.requests.map((r) => r.body || '').join('\n');
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(email);
    expect(everything).not.toContain('shopper.private');
  });

  it('reports unknown options (ignore is no longer one), keeps recording clicks, and sends no rage_click with rageClicks: false', async () => {
    const p2 = await browser.context.newPage();
    collector.page('/bad.html', pluginPage({ url: collector.url + '/collect', appId: freshAppId(), plugins: "[clicktrail.clicks({ ignore: '[[nope', colour: 'red', rageClicks: false })]", body: '<button id="b">Buy</button>' }));
    await p2.goto(collector.url + '/bad.html');
    for (let i = 0; i < 4; i++) await p2.click('#b');
    await p2.evaluate(() => (window as any).tracker.track('m7'));
    expect((await clicksUntil('m7')).map((e) => [e.name, e.properties.text])).toEqual(Array(4).fill(['click', 'Buy']));
    const errors = await p2.evaluate(() => (window as any).errors);
    expect(errors).toEqual([
      { code: 'invalid_option', message: expect.stringContaining('clicks: unknown option "ignore"') },
      { code: 'invalid_option', message: expect.stringContaining('clicks: unknown option "colour"') },
    ]);
    await p2.close();
  });
});
