import type { Modality } from '@kneadback/shared/vocabulary';
import { PLACES, PROFILE_PARTS, WEEKDAYS, DAY_PARTS, type Language } from '@kneadback/shared/profile-vocabulary';
import type { Certification, ProfileBody, ProfileVisibility } from '@kneadback/shared/schemas/profile';
import { exchangeModel } from '../features/exchanges/model.ts';
import { BlockService } from '../features/profiles/blocks.ts';
import { DiscoveryIndex } from '../features/profiles/discovery-index.ts';
import { exchangeFacts } from '../features/profiles/exchange-facts.ts';
import { blockListModel, profileModel, profilePhotoModel } from '../features/profiles/model.ts';
import { ProfileService } from '../features/profiles/service.ts';
import { RateLimits } from '../http/rate-limit.ts';
import type { SeedContext } from './main.ts';

/** Every community member signs in with this password (their emails are below). */
export const COMMUNITY_PASSWORD = 'demo-community-1';

type Member = [
  name: string,
  placeId: (typeof PLACES)[number]['id'],
  modalities: [Modality, number][],
  languages: Language[],
  specialties: string[],
  teaches?: Modality,
];

/** A small community across several cities, so discovery has someone to find. */
const MEMBERS: Member[] = [
  ['Inês Duarte', 'lisbon', [['shiatsu', 9]], ['pt', 'en'], ['neck and shoulders'], 'shiatsu'],
  [
    'Rui Almeida',
    'lisbon',
    [
      ['sports', 6],
      ['deep-tissue', 4],
    ],
    ['pt'],
    ['sports injuries', 'athletes'],
  ],
  [
    'Marta Sousa',
    'lisbon',
    [
      ['lymphatic-drainage', 11],
      ['prenatal', 5],
    ],
    ['pt', 'es'],
    ['pregnancy'],
    'lymphatic-drainage',
  ],
  ['Tiago Costa', 'lisbon', [['thai', 7]], ['pt', 'en', 'th'], ['back pain'], 'thai'],
  [
    'Joana Pires',
    'lisbon',
    [
      ['hot-stone', 3],
      ['swedish', 8],
    ],
    ['pt', 'fr'],
    ['stress'],
  ],
  ['Pedro Nunes', 'sintra', [['reflexology', 12]], ['pt'], ['headaches'], 'reflexology'],
  [
    'Beatriz Lopes',
    'sintra',
    [
      ['myofascial-release', 5],
      ['trigger-point', 5],
    ],
    ['pt', 'en'],
    ['scar tissue'],
  ],
  ['Hugo Matos', 'porto', [['deep-tissue', 10]], ['pt'], ['back pain', 'athletes']],
  [
    'Carolina Reis',
    'porto',
    [
      ['shiatsu', 4],
      ['swedish', 6],
    ],
    ['pt', 'en'],
    ['older adults'],
  ],
  ['Diogo Faria', 'porto', [['trigger-point', 8]], ['pt', 'es'], ['TMJ / jaw'], 'trigger-point'],
  ['Sara Teixeira', 'braga', [['prenatal', 7]], ['pt'], ['pregnancy']],
  ['André Lima', 'coimbra', [['sports', 9]], ['pt', 'en'], ['sports injuries'], 'sports'],
  [
    'Lucía Romero',
    'madrid',
    [
      ['thai', 5],
      ['reflexology', 3],
    ],
    ['es', 'en'],
    ['stress'],
  ],
  ['Javier Ortega', 'madrid', [['deep-tissue', 7]], ['es'], ['back pain']],
  ['Núria Vidal', 'barcelona', [['hot-stone', 10]], ['es', 'fr', 'en'], ['stress'], 'hot-stone'],
  [
    'Marc Soler',
    'barcelona',
    [
      ['sports', 4],
      ['myofascial-release', 6],
    ],
    ['es'],
    ['athletes'],
  ],
  ['Camille Martin', 'paris', [['swedish', 12]], ['fr', 'en'], ['older adults'], 'swedish'],
  ['Louis Bernard', 'paris', [['shiatsu', 6]], ['fr', 'ja'], ['headaches']],
  [
    'Emma Clarke',
    'london',
    [
      ['sports', 8],
      ['deep-tissue', 8],
    ],
    ['en'],
    ['sports injuries'],
  ],
  ['Oliver Hughes', 'london', [['lymphatic-drainage', 4]], ['en', 'pl'], ['scar tissue']],
  [
    'Priya Shah',
    'london',
    [
      ['prenatal', 9],
      ['swedish', 9],
    ],
    ['en', 'hi'],
    ['pregnancy'],
    'prenatal',
  ],
  ['Tom Walsh', 'manchester', [['trigger-point', 3]], ['en'], ['neck and shoulders']],
  [
    'Aoife Byrne',
    'dublin',
    [
      ['reflexology', 6],
      ['hot-stone', 2],
    ],
    ['en'],
    ['stress'],
  ],
  ['Lena Fischer', 'berlin', [['myofascial-release', 10]], ['de', 'en'], ['back pain'], 'myofascial-release'],
  [
    'Jonas Weber',
    'berlin',
    [
      ['thai', 3],
      ['sports', 5],
    ],
    ['de'],
    ['athletes'],
  ],
  ['Mia Schulz', 'hamburg', [['swedish', 4]], ['de', 'sv'], ['older adults']],
  [
    'Felix Wagner',
    'munich',
    [
      ['deep-tissue', 6],
      ['trigger-point', 2],
    ],
    ['de', 'it'],
    ['neck and shoulders'],
  ],
  [
    'Sanne de Vries',
    'amsterdam',
    [
      ['shiatsu', 7],
      ['reflexology', 4],
    ],
    ['nl', 'en'],
    ['headaches'],
    'shiatsu',
  ],
];

const YEAR = 2026;

function profileOf([name, placeId, modalities, languages, specialties, teaches]: Member, i: number): ProfileBody {
  const place = PLACES.find((p) => p.id === placeId)!;
  const certifications: Certification[] = modalities.map(([modality, years]) => ({
    title: `${teaches === modality ? 'Instructor' : 'Practitioner'} certificate`,
    modality,
    issuer: `${place.name} School of Massage`,
    year: YEAR - years,
    qualifiesToTeach: teaches === modality,
  }));
  const visibility = Object.fromEntries(PROFILE_PARTS.map((p) => [p, 'everyone'])) as ProfileVisibility;
  if (i % 4 === 0) visibility.availability = 'partners';
  return {
    displayName: name,
    bio: `${modalities.map(([m]) => m.replace('-', ' ')).join(' and ')} therapist in ${place.name}. Happy to trade weekly.`,
    modalities: modalities.map(([modality, years]) => ({ modality, years })),
    specialties,
    certifications,
    languages,
    city: place.name,
    // a few hundred metres apart, as the server's grid would keep them
    location: { lat: place.lat + ((i % 3) - 1) * 0.02, lng: place.lng + ((i % 5) - 2) * 0.02 },
    availability: [
      { day: WEEKDAYS[i % 7]!, part: DAY_PARTS[i % 3]! },
      { day: WEEKDAYS[(i + 3) % 7]!, part: DAY_PARTS[(i + 1) % 3]! },
    ],
    openToExchanges: true,
    visibility,
  };
}

const emailOf = (name: string) =>
  `${name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')}@demo.kneadback.test`;

/** The community, and profiles for the two main demo therapists (who stay findable). */
export async function seedDemoCommunity(ctx: SeedContext): Promise<void> {
  const index = new DiscoveryIndex();
  const profiles = new ProfileService(
    profileModel(ctx.connection),
    profilePhotoModel(ctx.connection),
    ctx.auth,
    new BlockService(blockListModel(ctx.connection), ctx.auth, index, new RateLimits(false)),
    index,
    exchangeFacts(exchangeModel(ctx.connection)),
    new RateLimits(false),
  );
  let created = 0;
  for (const [i, member] of MEMBERS.entries()) {
    const email = emailOf(member[0]);
    if (await ctx.auth.findByEmail(email)) continue;
    const { user } = await ctx.auth.signup({ email, password: COMMUNITY_PASSWORD, displayName: member[0] }, 'seed');
    await profiles.update(user.id, profileOf(member, i));
    created++;
  }
  for (const user of ctx.users.values()) {
    const existing = await ctx.auth.activeUser(user.id);
    if (!existing || (await profiles.own(existing)).openToExchanges) continue;
    const placeId = PLACES.find((p) => p.name === existing.city)?.id ?? 'lisbon';
    const body = profileOf([user.displayName, placeId, [], ['pt', 'en'], []], 1);
    await profiles.update(user.id, {
      ...body,
      modalities: existing.modalities.map((modality) => ({ modality, years: 5 })),
      bio: 'Demo therapist: sign in as me to try Kneadback.',
    });
  }
  if (created > 0) ctx.logger.info({ therapists: created }, 'demo community created');
}
