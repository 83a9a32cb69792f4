// Load tests open more live clients than one address may: each pair connects from its own
// loopback address. (The same client as connectDebrief; only the source address differs.)
import { connectDebrief, loopbackAddress, type DebriefClient } from './collab-client.ts';

export { loopbackAddress };

export function connectDebriefFrom(
  from: string,
  baseUrl: string,
  cookieHeader: string,
  exchangeId: string,
): DebriefClient {
  return connectDebrief(baseUrl, cookieHeader, exchangeId, { localAddress: from });
}
