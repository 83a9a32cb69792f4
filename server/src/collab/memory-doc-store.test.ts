import { describe } from 'vitest';
import { MemoryDocStore } from './doc-store.ts';
import { docStoreContract } from './doc-store.contract.ts';

describe('MemoryDocStore', () => docStoreContract(async () => new MemoryDocStore()));
