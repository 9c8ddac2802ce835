/** The contract's types the import screens use, under the names they use them by. */
export type { DryRunView, ImportInspection } from '@shared/contract';
import type { ImportInspection } from '@shared/contract';
export type Delimiter = ImportInspection['delimiter'];
