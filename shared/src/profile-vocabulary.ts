// The words of a therapist's profile and of partner discovery, declared once; schemas, the
// discovery index and the UI all read them from here.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export const DAY_PARTS = ['morning', 'afternoon', 'evening'] as const;
export type DayPart = (typeof DAY_PARTS)[number];

export const DAY_PART_LABELS: Record<DayPart, string> = {
  morning: 'Morning',
  afternoon: 'Afternoon',
  evening: 'Evening',
};

/** ISO 639-1 codes of the languages a profile can list. */
export const LANGUAGES = [
  'ar',
  'de',
  'el',
  'en',
  'es',
  'fr',
  'hi',
  'it',
  'ja',
  'ko',
  'nl',
  'pl',
  'pt',
  'ro',
  'ru',
  'sv',
  'th',
  'tr',
  'uk',
  'zh',
] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_LABELS: Record<Language, string> = {
  ar: 'Arabic',
  de: 'German',
  el: 'Greek',
  en: 'English',
  es: 'Spanish',
  fr: 'French',
  hi: 'Hindi',
  it: 'Italian',
  ja: 'Japanese',
  ko: 'Korean',
  nl: 'Dutch',
  pl: 'Polish',
  pt: 'Portuguese',
  ro: 'Romanian',
  ru: 'Russian',
  sv: 'Swedish',
  th: 'Thai',
  tr: 'Turkish',
  uk: 'Ukrainian',
  zh: 'Chinese',
};

/** Specialties therapists often name; a profile may add its own words. */
export const SUGGESTED_SPECIALTIES = [
  'sports injuries',
  'back pain',
  'neck and shoulders',
  'headaches',
  'pregnancy',
  'TMJ / jaw',
  'scar tissue',
  'athletes',
  'older adults',
  'stress',
] as const;

/**
 * The parts of a profile that each have their own visibility. The display name and whether the
 * therapist is open to exchanges are always shown to whoever may see the profile at all.
 */
export const PROFILE_PARTS = [
  'photo',
  'bio',
  'modalities',
  'specialties',
  'certifications',
  'languages',
  'location',
  'availability',
  'exchangeCount',
] as const;
export type ProfilePart = (typeof PROFILE_PARTS)[number];

export const PROFILE_PART_LABELS: Record<ProfilePart, string> = {
  photo: 'Photo',
  bio: 'About you',
  modalities: 'Modalities',
  specialties: 'Specialties',
  certifications: 'Certifications',
  languages: 'Languages',
  location: 'City and distance',
  availability: 'Availability',
  exchangeCount: 'Exchanges completed',
};

export const VISIBILITIES = ['everyone', 'partners'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const VISIBILITY_LABELS: Record<Visibility, string> = {
  everyone: 'Everyone signed in',
  partners: 'Partners only',
};

/**
 * How far away another therapist is, as others see it: a band, never a distance in metres
 * (with the viewer's own position a precise figure would place the therapist).
 */
export const DISTANCE_BANDS = [
  { id: 'under-5', maxKm: 5, label: 'Under 5 km' },
  { id: 'under-15', maxKm: 15, label: '5–15 km' },
  { id: 'under-50', maxKm: 50, label: '15–50 km' },
  { id: 'under-200', maxKm: 200, label: '50–200 km' },
  { id: 'far', maxKm: Infinity, label: 'Over 200 km' },
] as const;
export type DistanceBand = (typeof DISTANCE_BANDS)[number]['id'];

/**
 * Places a therapist can pick as an approximate location, or search near, without sharing a
 * device position. Coordinates are city centres.
 */
export const PLACES = [
  { id: 'amsterdam', name: 'Amsterdam', lat: 52.37, lng: 4.9 },
  { id: 'barcelona', name: 'Barcelona', lat: 41.39, lng: 2.17 },
  { id: 'berlin', name: 'Berlin', lat: 52.52, lng: 13.4 },
  { id: 'braga', name: 'Braga', lat: 41.55, lng: -8.42 },
  { id: 'coimbra', name: 'Coimbra', lat: 40.21, lng: -8.43 },
  { id: 'dublin', name: 'Dublin', lat: 53.35, lng: -6.26 },
  { id: 'hamburg', name: 'Hamburg', lat: 53.55, lng: 9.99 },
  { id: 'lisbon', name: 'Lisbon', lat: 38.72, lng: -9.14 },
  { id: 'london', name: 'London', lat: 51.51, lng: -0.13 },
  { id: 'madrid', name: 'Madrid', lat: 40.42, lng: -3.7 },
  { id: 'manchester', name: 'Manchester', lat: 53.48, lng: -2.24 },
  { id: 'munich', name: 'Munich', lat: 48.14, lng: 11.58 },
  { id: 'paris', name: 'Paris', lat: 48.86, lng: 2.35 },
  { id: 'porto', name: 'Porto', lat: 41.15, lng: -8.61 },
  { id: 'sintra', name: 'Sintra', lat: 38.8, lng: -9.38 },
] as const;
export type Place = (typeof PLACES)[number];
