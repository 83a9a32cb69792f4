// Every TanStack Query key in the client is built here, and nowhere else.
//
// The scheme: a key is the API path it reads, split at the slashes and without `/api`, with the query string (or
// an object of parameters) last. GET /api/exchanges/42 is ['exchanges', '42']; GET /api/review/critiques?page=2 is
// ['review', 'critiques', 'page=2']; a collection's own list adds 'list' (['exchanges', 'list']), so it can be
// invalidated without every item under it. TanStack Query matches keys by prefix, so a shorter key names an area:
// invalidating ['exchanges'] refetches the list and every single exchange, ['debriefs', id] everything about one
// debrief. The `all` keys below are those areas.
//
// After a change, say which keys it makes stale (see `invalidates` in query.ts): the narrowest area that covers
// everything the server changed. A Socket.IO event that reports a change elsewhere invalidates the same keys, so a
// page refetches what it shows instead of reloading.

/** The id of an exchange, which is also the id of its debrief (one debrief per exchange). */
type ExchangeId = string;

export const queryKeys = {
  exchanges: {
    all: ['exchanges'] as const,
    /** GET /api/exchanges */
    list: () => ['exchanges', 'list'] as const,
    /** GET /api/exchanges/:exchangeId */
    one: (exchangeId: ExchangeId) => ['exchanges', exchangeId] as const,
  },
  debriefs: {
    all: ['debriefs'] as const,
    /** Everything the API says about one debrief */
    of: (exchangeId: ExchangeId) => ['debriefs', exchangeId] as const,
    /** GET /api/debriefs/:exchangeId/carried-forward */
    carriedForward: (exchangeId: ExchangeId) => ['debriefs', exchangeId, 'carried-forward'] as const,
    /** Every debrief's carried-forward list (they hold critiques of earlier debriefs), for a predicate */
    isCarriedForward: (key: readonly unknown[]) => key[0] === 'debriefs' && key[2] === 'carried-forward',
    /** GET /api/debriefs/:exchangeId/reads */
    threadReads: (exchangeId: ExchangeId) => ['debriefs', exchangeId, 'reads'] as const,
  },
  review: {
    all: ['review'] as const,
    /** Every page of critiques and every patterns answer: what a critique's text, status or thread changes */
    critiquesAndPatterns: [
      ['review', 'critiques'],
      ['review', 'patterns'],
    ] as const,
    /** GET /api/review/critiques?… */
    critiques: (query: string) => ['review', 'critiques', query] as const,
    /** GET /api/review/patterns?… */
    patterns: (query: string) => ['review', 'patterns', query] as const,
    /** GET /api/review/partners */
    partners: () => ['review', 'partners'] as const,
  },
  exchangeRequests: {
    all: ['exchange-requests'] as const,
    /** GET /api/exchange-requests */
    list: () => ['exchange-requests', 'list'] as const,
  },
  /** GET /api/rhythm */
  rhythm: { all: ['rhythm'] as const },
  partners: {
    all: ['partners'] as const,
    /** GET /api/partners?… (discovery) */
    search: (query: string) => ['partners', 'search', query] as const,
    /** GET /api/partners/:userId/ledger */
    ledger: (userId: string) => ['partners', userId, 'ledger'] as const,
    /** GET /api/partners/:userId/referrals */
    referrals: (userId: string) => ['partners', userId, 'referrals'] as const,
  },
  users: {
    /** GET /api/users/:userId/endorsements */
    endorsements: (userId: string) => ['users', userId, 'endorsements'] as const,
  },
  notes: {
    all: ['notes'] as const,
    /** GET /api/notes?… (search, and the Mine / Community lists) */
    search: (query: string) => ['notes', 'list', query] as const,
    /** GET /api/notes/shared-with-me */
    sharedWithMe: () => ['notes', 'shared-with-me'] as const,
    /** GET /api/notes/share-partners */
    sharePartners: () => ['notes', 'share-partners'] as const,
    /** GET /api/notes/storage */
    storage: () => ['notes', 'storage'] as const,
    /** Every mark's "Notes about this" */
    aboutMarks: ['notes', 'about-mark'] as const,
    /** GET /api/notes/about-mark/:exchangeId/:markId */
    aboutMark: (exchangeId: ExchangeId, markId: string) => ['notes', 'about-mark', exchangeId, markId] as const,
    /** GET /api/notes/:noteId, and everything under it */
    one: (noteId: string) => ['notes', noteId] as const,
    /** GET /api/notes/:noteId/versions */
    versions: (noteId: string) => ['notes', noteId, 'versions'] as const,
    /** GET /api/notes/:noteId/versions/:versionId */
    version: (noteId: string, versionId: string) => ['notes', noteId, 'versions', versionId] as const,
    /** GET /api/notes/:noteId/versions/:versionId/compare */
    compare: (noteId: string, versionId: string) => ['notes', noteId, 'versions', versionId, 'compare'] as const,
    /** GET /api/notes/:noteId/comments */
    comments: (noteId: string) => ['notes', noteId, 'comments'] as const,
  },
  notifications: {
    all: ['notifications'] as const,
    /** GET /api/notifications */
    list: () => ['notifications', 'list'] as const,
  },
  profiles: {
    all: ['profiles'] as const,
    /** GET /api/profiles/me (your own, as you edit it) */
    me: () => ['profiles', 'me'] as const,
    /** GET /api/profiles/:userId (someone's, as you may see it) */
    one: (userId: string) => ['profiles', userId] as const,
  },
  blocks: {
    all: ['blocks'] as const,
    /** GET /api/blocks */
    list: () => ['blocks', 'list'] as const,
  },
} as const;
