// Technique notes in two real browsers against the real server and database: written together
// with each other's carets, tied to a debrief mark, found by search, restored from history; and a
// reader who watches live but cannot type, until the owner takes the note back; a community
// reader's forged caret that leaves both editors writing together.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { noteDocName } from '@kneadback/shared/docs/note-doc';
import { presenceColor } from '@kneadback/shared/docs/presence';
import { startAppForE2E, type E2EApp } from '../helpers/browser.ts';
import { connectDebrief, rawCollabSocket } from '../helpers/collab-client.ts';
import { createPartners, upperTrapeziusPressure, type Partners } from '../helpers/debrief-fixtures.ts';
import { pageSignedInAs } from '../helpers/e2e-debrief.ts';
import { eventually } from '../helpers/eventually.ts';
import { signUpUser } from '../helpers/http-client.ts';
import { awarenessMessage } from '../helpers/sync-messages.ts';

const TITLE = 'Stacked thumbs on the rhomboids';
const REGION_ID = 'posterior-rhomboids-left';
/** A word only Ben types, to find the note by later. */
const BENS_WORD = 'zephyrstroke';

/** The least time between a tap and the next key press, for a person. */
const PERSON_KEY_AFTER_TAP_MS = 250;

let app: E2EApp;
let partners: Partners;
let ana: Page;
let ben: Page;
let noteUrl: string;
/** Ben's mark in his last debrief. */
let markId: string;

beforeAll(async () => {
  app = await startAppForE2E();
  partners = await createPartners(app.server);
  // Ben's last debrief has a mark he made: round 2, Ben gives and Ana receives
  const debrief = connectDebrief(app.server.url, partners.b.cookieHeader, partners.exchangeId);
  await debrief.synced();
  markId = addAnnotation(debrief.doc, partners.b.user.id, {
    ...upperTrapeziusPressure,
    round: 2,
    text: 'Thumb collapsed here',
  }).id;
  await eventually(async () => {
    const res = await partners.b.client.get('/api/review/critiques');
    expect(res.body.items).toHaveLength(1);
  });
  debrief.destroy();
  ana = (await pageSignedInAs(app, partners.a)).page;
  ben = (await pageSignedInAs(app, partners.b)).page;
});

afterAll(async () => {
  await app?.stop();
});

const body = (page: Page) => page.locator('.note-body__content');
/** The note's text as written, without the others' caret labels drawn into it. */
const bodyText = (page: Page) =>
  body(page).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
    return Array.from(copy.querySelectorAll('p'), (p) => p.textContent ?? '').join('\n');
  });

async function waitLive(page: Page) {
  await page.getByRole('status').filter({ hasText: /^Live/ }).waitFor();
}

/** Creates a technique note from the Notes screen and leaves the page on it, live. */
async function createNote(page: Page, title: string): Promise<string> {
  await page.goto('/notes');
  await page.getByRole('link', { name: 'New note' }).click();
  await page.getByRole('radio', { name: /^Technique/ }).check({ force: true });
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Create note' }).click();
  await page.waitForURL(/\/notes\/[a-f0-9]{24}$/);
  await waitLive(page);
  await body(page).waitFor();
  return new URL(page.url()).pathname;
}

/** Types at the end of the body's first paragraph, as a person would after tapping there. */
async function typeInFirstParagraph(page: Page, where: 'Home' | 'End', text: string) {
  await body(page).locator('p').first().click();
  // A person's next key comes a moment after the tap. Within 200 ms of the editor taking focus,
  // ProseMirror takes a caret landing on the very start of the note for the browser's own reset
  // after focus, and puts it back where the tap put it.
  await page.waitForTimeout(PERSON_KEY_AFTER_TAP_MS);
  await page.keyboard.press(where);
  await page.keyboard.type(text, { delay: 15 });
}

async function shareWith(page: Page, name: string, access: 'No access' | 'Can read' | 'Can edit') {
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this note' });
  await dialog.getByLabel(name).selectOption({ label: access });
  // Saved when the select is usable again with the new value
  await eventually(async () => {
    expect(await dialog.getByLabel(name).isEnabled()).toBe(true);
  });
  // ...and kept: the server's answer, not an error, is what shows
  expect(await dialog.getByRole('alert').count()).toBe(0);
  await eventually(async () =>
    expect(await dialog.getByLabel(name).locator('option:checked').innerText()).toBe(access),
  );
  await dialog.getByRole('button', { name: 'Close' }).click();
}

it('Ana writes a technique note and shares it with Ben as an editor', async () => {
  noteUrl = await createNote(ana, TITLE);
  await ana.getByLabel('Modality').selectOption({ label: 'Deep tissue' });
  await ana.getByLabel('Add a body region').selectOption(REGION_ID);
  await ana.locator('.note-chip', { hasText: 'Left rhomboids' }).waitFor();
  await body(ana).click();
  await ana.keyboard.type('Lean in with body weight.', { delay: 10 });

  // A named version to come back to
  await ana.getByRole('button', { name: 'History' }).click();
  const history = ana.getByRole('dialog', { name: 'History' });
  await history.getByLabel('Name this version').fill('First draft');
  await history.getByRole('button', { name: 'Save version' }).click();
  await history.getByRole('button', { name: /^First draft/ }).waitFor();
  await history.getByRole('button', { name: 'Close' }).click();

  // Ben, elsewhere in the app, is told at once
  await ben.goto('/exchanges');
  await ben
    .getByRole('heading', { name: /exchanges/i })
    .first()
    .waitFor();
  await shareWith(ana, 'Ben', 'Can edit');
  await ben.getByText(`Ana shared “${TITLE}” with you: you may read and edit it.`, { exact: false }).waitFor();

  // Ben finds it under "Shared with me" and opens it
  await ben.getByRole('link', { name: 'Notes', exact: true }).click();
  await ben.getByRole('tab', { name: /Shared with me/ }).click();
  const card = ben.locator('.note-card', { hasText: TITLE });
  await card.waitFor();
  expect(await card.innerText()).toMatch(/Shared by Ana/);
  // Not opened yet: new to him, and counted on the tab
  await card.locator('.note-card__new').waitFor();
  expect(await ben.getByRole('tab', { name: /Shared with me/ }).innerText()).toMatch(/1/);
  await card.getByRole('link').click();
  await waitLive(ben);
  await eventually(async () => expect(await bodyText(ben)).toContain('Lean in with body weight.'), { timeout: 10_000 });
  expect(await ben.getByLabel('Modality').inputValue()).toBe('deep-tissue');
  await ben.getByRole('toolbar', { name: 'Formatting' }).waitFor();
});

it('both type into the same paragraph at once and each sees the other’s caret, name and text', async () => {
  await Promise.all([
    // at both ends of one paragraph: two carets at the very same spot may each end up after the
    // other's newest letters (both texts stay, but in an order neither typed)
    typeInFirstParagraph(ana, 'Home', 'Keep the wrist straight. '),
    typeInFirstParagraph(ben, 'End', ` Stack the thumbs ${BENS_WORD}.`),
  ]);
  for (const page of [ana, ben]) {
    await eventually(
      async () => {
        // Each one's letters where each one's caret was: neither caret was moved by the other's typing
        expect(await bodyText(page)).toBe(
          `Keep the wrist straight. Lean in with body weight. Stack the thumbs ${BENS_WORD}.`,
        );
      },
      { timeout: 10_000 },
    );
  }
  // Each one's caret, in the other's browser, carries their name
  await ana.locator('.collaboration-carets__label', { hasText: 'Ben' }).waitFor({ timeout: 10_000 });
  await ben.locator('.collaboration-carets__label', { hasText: 'Ana' }).waitFor({ timeout: 10_000 });
  expect(await ana.getByRole('list', { name: /Also here: Ben/ }).count()).toBe(1);
  // Both devices hold the same text
  expect(await bodyText(ana)).toBe(await bodyText(ben));
});

it('Ana moves her caret just as Ben’s letters arrive: her next letters go where she moved it', async () => {
  await typeInFirstParagraph(ana, 'End', '');
  // The browser tells the editor of a caret move a moment later, in a `selectionchange` event; hold
  // those back, so Ben's edit surely lands inside that moment (yjs/y-prosemirror#146)
  await ana.evaluate(() => {
    const held = (event: Event) => {
      if (event.isTrusted) event.stopImmediatePropagation();
    };
    document.addEventListener('selectionchange', held, { capture: true });
    Object.assign(window, {
      deliverSelectionChange: () => {
        document.removeEventListener('selectionchange', held, { capture: true });
        document.dispatchEvent(new Event('selectionchange'));
      },
    });
  });
  await ana.keyboard.press('Home');
  await typeInFirstParagraph(ben, 'End', ' Good.');
  await eventually(async () => expect(await bodyText(ana)).toMatch(/ Good\.$/), { timeout: 10_000 });
  await ana.evaluate(() => (window as unknown as { deliverSelectionChange(): void }).deliverSelectionChange());
  await ana.keyboard.type('Ease off. ', { delay: 15 });
  for (const page of [ana, ben]) {
    await eventually(
      async () =>
        expect(await bodyText(page)).toBe(
          `Ease off. Keep the wrist straight. Lean in with body weight. Stack the thumbs ${BENS_WORD}. Good.`,
        ),
      {
        timeout: 10_000,
      },
    );
  }
});

it('Ben links the note to a mark in his last debrief, and the mark shows the note', async () => {
  await ben.getByRole('button', { name: 'Link a mark' }).click();
  const dialog = ben.getByRole('dialog', { name: 'Link a mark from a debrief' });
  await dialog.getByRole('button', { name: /^Link to Left upper trapezius \(back\)/ }).click();
  await dialog.getByText('Linked', { exact: true }).waitFor();
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The note lists the mark (Ana sees it too once her page refetches: both are partners of that exchange)
  const markLink = ben.getByRole('link', { name: /Mark on the Left upper trapezius \(back\)/ });
  await markLink.waitFor();
  await markLink.click();
  await ben.waitForURL(new RegExp(`/debriefs/${partners.exchangeId}`));
  const notesAbout = ben.getByRole('region', { name: 'Notes about this' });
  await notesAbout.getByRole('link', { name: new RegExp(TITLE) }).waitFor({ timeout: 15_000 });
  await notesAbout.getByRole('link', { name: 'Write a note about this' }).waitFor();
});

it('from the mark, "Write a note about this" starts a note linked to it; from Review, a pattern starts one about its region', async () => {
  await ben.goto(`/debriefs/${partners.exchangeId}?annotation=${markId}`);
  const notesAbout = ben.getByRole('region', { name: 'Notes about this' });
  await notesAbout.getByRole('link', { name: 'Write a note about this' }).click();
  await ben.getByText('This note will be linked to the mark you came from').waitFor();
  await ben.getByRole('button', { name: 'Create note' }).click();
  await ben.waitForURL(/\/notes\/[a-f0-9]{24}$/);
  await ben.getByRole('link', { name: /Mark on the Left upper trapezius \(back\)/ }).waitFor();
  await ben.locator('.note-chip', { hasText: 'Left upper trapezius (back)' }).waitFor();
  await eventually(async () => expect(await bodyText(ben)).toContain('Thumb collapsed here'), { timeout: 10_000 });

  await ben.goto('/review');
  await ben.getByRole('link', { name: 'Start a note about Left upper trapezius (back)' }).click();
  await ben.getByText(/Starts from your Review pattern: Left upper trapezius/).waitFor();
  await ben.getByRole('radio', { name: /^Hard moment with a client/ }).check({ force: true });
  await ben.getByRole('button', { name: 'Create note' }).click();
  await ben.waitForURL(/\/notes\/[a-f0-9]{24}$/);
  await ben.getByLabel('The situation').waitFor();
  await ben.locator('.note-chip', { hasText: 'Left upper trapezius (back)' }).waitFor();
});

it('Ana finds the note by a word from Ben’s paragraph and by its body region', async () => {
  await ana.goto('/notes/search');
  await ana.getByLabel('Words').fill(BENS_WORD);
  const hit = ana.locator('.note-card', { hasText: TITLE });
  await hit.waitFor({ timeout: 10_000 });
  expect(await hit.locator('.note-card__snippet mark').innerText()).toBe(BENS_WORD);

  await ana.getByLabel('Words').fill('');
  await ana.getByLabel('Body region').selectOption(REGION_ID);
  await eventually(async () => {
    expect(await ana.locator('.note-card').allInnerTexts()).toEqual([expect.stringContaining(TITLE)]);
  });
  await ana.getByLabel('Body region').selectOption('posterior-rhomboids-right');
  await ana.getByText('No notes match').waitFor();
});

it('Ana restores the first draft and Ben sees the restored text', async () => {
  await Promise.all([ana.goto(noteUrl), ben.goto(noteUrl)]);
  await Promise.all([waitLive(ana), waitLive(ben)]);
  await eventually(async () => expect(await bodyText(ben)).toContain(BENS_WORD), { timeout: 10_000 });

  await ana.getByRole('button', { name: 'History' }).click();
  const history = ana.getByRole('dialog', { name: 'History' });
  await history.getByRole('button', { name: /^First draft/ }).click();
  await history.getByLabel('This version, read-only').waitFor();
  expect(await history.getByLabel('This version, read-only').innerText()).not.toContain(BENS_WORD);
  await history.getByRole('button', { name: 'Compare with now' }).click();
  await history.locator('.version-diff__added', { hasText: BENS_WORD }).waitFor();
  await history.getByRole('button', { name: 'Restore this version' }).click();
  await history.waitFor({ state: 'detached' });

  for (const page of [ben, ana]) {
    await eventually(
      async () => {
        const text = await bodyText(page);
        expect(text).toContain('Lean in with body weight.');
        expect(text).not.toContain(BENS_WORD);
        expect(text).not.toContain('Keep the wrist straight.');
      },
      { timeout: 10_000 },
    );
  }
});

it('a reader sees live edits but cannot type; once the owner revokes, the open page says so and shows nothing more', async () => {
  const readerUrl = await createNote(ana, 'Draping checklist');
  await body(ana).click();
  await ana.keyboard.type('Check the draping first.', { delay: 10 });
  await shareWith(ana, 'Ben', 'Can read');

  await ben.goto(readerUrl);
  await waitLive(ben);
  await eventually(async () => expect(await bodyText(ben)).toContain('Check the draping first.'), { timeout: 10_000 });
  // No editing controls, and the text is not editable
  expect(await ben.getByRole('toolbar', { name: 'Formatting' }).count()).toBe(0);
  expect(await ben.getByLabel('Title').count()).toBe(0);
  expect(await body(ben).getAttribute('contenteditable')).toBe('false');
  expect(await body(ben).getAttribute('aria-readonly')).toBe('true');
  await ben.getByText('You can read this note.').waitFor();
  // earlier versions are the author's and editors' only: no History to open
  expect(await ben.getByRole('button', { name: 'History' }).count()).toBe(0);

  // Ana's edits arrive live
  await typeInFirstParagraph(ana, 'End', ' Then warm your hands.');
  await eventually(async () => expect(await bodyText(ben)).toContain('Then warm your hands.'), { timeout: 10_000 });

  // Ben's typing goes nowhere, on his screen or Ana's
  await body(ben).click();
  await ben.keyboard.type('intruder');
  await ben.keyboard.press('Enter');
  expect(await bodyText(ben)).not.toContain('intruder');
  await typeInFirstParagraph(ana, 'End', ' Done.');
  await eventually(async () => expect(await bodyText(ben)).toContain('Done.'), { timeout: 10_000 });
  expect(await bodyText(ana)).not.toContain('intruder');
  // Still connected: the server never had to refuse a change from him
  await waitLive(ben);

  await shareWith(ana, 'Ben', 'No access');
  await ben.getByText('Your access to this note was removed').waitFor({ timeout: 10_000 });
  expect(await body(ben).count()).toBe(0);
  expect(await ben.getByText('Check the draping first.').count()).toBe(0);
  expect(await ben.getByText('Draping checklist').count()).toBe(0);
});

it('a published note is in the community library: another therapist marks it helpful, asks a question and exports it', async () => {
  const url = await createNote(ana, 'Warm the stones first');
  await body(ana).click();
  await ana.keyboard.type('Test every stone on your forearm.', { delay: 10 });
  await ana.getByRole('button', { name: 'Share', exact: true }).click();
  const share = ana.getByRole('dialog', { name: 'Share this note' });
  await share.getByRole('checkbox', { name: /Publish to the community/ }).check();
  await share
    .getByRole('checkbox', { name: /Publish to the community/ })
    .and(ana.locator(':checked'))
    .waitFor();
  await share.getByRole('button', { name: 'Close' }).click();

  await ben.goto('/notes?tab=community');
  await ben.locator('.note-card', { hasText: 'Warm the stones first' }).getByRole('link').click();
  await ben.waitForURL(new RegExp(`${url}$`));
  await eventually(async () => expect(await bodyText(ben)).toContain('Test every stone'), { timeout: 10_000 });
  expect(await body(ben).getAttribute('contenteditable')).toBe('false');
  expect(await ben.getByRole('button', { name: 'History' }).count()).toBe(0);

  await ben.getByRole('button', { name: 'Helpful · 0' }).click();
  await ben.getByRole('button', { name: 'Helpful · 1' }).waitFor();
  await ben.getByLabel('Ask a question or add a comment').fill('How warm is too warm?');
  await ben.getByRole('button', { name: 'Post' }).click();
  await ben.locator('.note-comment', { hasText: 'How warm is too warm?' }).waitFor();

  const [download] = await Promise.all([
    ben.waitForEvent('download'),
    ben.getByRole('button', { name: 'Export Markdown' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('warm-the-stones-first.md');
  const chunks: Buffer[] = [];
  for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
  const markdown = Buffer.concat(chunks).toString('utf8');
  expect(markdown).toContain('# Warm the stones first');
  expect(markdown).toContain('Test every stone on your forearm.');

  // Ana, the author, sees both
  await ana.reload();
  await ana.getByText('1 therapist found this helpful').waitFor();
  await ana.locator('.note-comment', { hasText: 'How warm is too warm?' }).waitFor();
});

it("a community reader's caret no editor can draw, under Ana's name, changes nothing: Ana and Ben keep writing together", async () => {
  const url = await createNote(ana, 'Forearm warm-up');
  const noteId = url.split('/').at(-1)!;
  await body(ana).click();
  await ana.keyboard.type('Warm the forearm first.', { delay: 10 });
  await shareWith(ana, 'Ben', 'Can edit');
  expect((await partners.a.client.put(`/api/notes/${noteId}/community`, { published: true })).status).toBe(200);
  await ben.goto(url);
  await waitLive(ben);
  await eventually(async () => expect(await bodyText(ben)).toContain('Warm the forearm first.'), { timeout: 10_000 });
  const errors: string[] = [];
  for (const page of [ana, ben]) page.on('pageerror', (err) => errors.push(err.message));

  // Cleo reads the community library: her device sends a caret with nothing in it, as "Ana (owner)"
  const cleo = await signUpUser(app.server, 'Cleo');
  const socket = rawCollabSocket(app.server.url, cleo.cookieHeader, noteDocName(noteId));
  await new Promise((resolve) => socket.once('message', resolve));
  const disguise = { id: cleo.user.id, name: 'Ana (owner)', color: presenceColor(partners.a.user.id) };
  const state = (cursor: unknown) => JSON.stringify({ user: disguise, cursor });
  socket.send(awarenessMessage([{ clientId: 515151, clock: 1, json: state({ anchor: null, head: null }) }]));
  socket.send(awarenessMessage([{ clientId: 515152, clock: 1, json: state(null) }]));
  // her second state shows beside Ben or Ana, so the first was handled before it
  for (const page of [ana, ben]) await page.getByRole('list', { name: /^Also here: [^,]+, / }).waitFor();

  await typeInFirstParagraph(ben, 'End', ' Then the hand.');
  await eventually(async () => expect(await bodyText(ana)).toContain('Then the hand.'), { timeout: 10_000 });
  await typeInFirstParagraph(ana, 'End', ' Slowly.');
  await eventually(async () => expect(await bodyText(ben)).toContain('Slowly.'), { timeout: 10_000 });
  expect(errors).toEqual([]);
  // and she is shown as who she is
  for (const page of [ana, ben]) {
    expect(await page.getByRole('list', { name: /^Also here: .*Cleo/ }).count()).toBe(1);
    expect(await page.getByText('Ana (owner)').count()).toBe(0);
  }
  socket.close();
});
