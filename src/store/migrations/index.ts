import type { Migration } from 'kysely';
import { coreMigration } from './0001-core.js';
import { documentsMigration } from './0002-documents.js';
import { performanceMigration } from './0003-performance.js';
import { issuanceCoveringMigration } from './0004-issuance-covering.js';
import { certificateKeysMigration } from './0005-certificate-keys.js';
import { oqsBulkMigration } from './0006-oqs-bulk.js';
import { auditChainsMigration } from './0007-audit-chains.js';
import { domainDepthMigration } from './0008-domain-depth.js';
import { verificationMissesMigration } from './0009-verification-misses.js';
import { notificationJobsMigration } from './0011-notification-jobs.js';
import { challengeExpiryMigration } from './0012-challenge-expiry.js';
import { distributionKeyMigration } from './0013-distribution-key.js';
import { uploadJobsMigration } from './0014-upload-jobs.js';
import { paperCertificatesMigration } from './0015-paper-certificates.js';
import { issuanceRangesMigration } from './0016-issuance-ranges.js';

/**
 * Migrations bundled in code, applied in name order on start. Append new ones; never edit one that
 * has shipped.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-core': coreMigration,
  '0002-documents': documentsMigration,
  '0003-performance': performanceMigration,
  '0004-issuance-covering': issuanceCoveringMigration,
  '0005-certificate-keys': certificateKeysMigration,
  '0006-oqs-bulk': oqsBulkMigration,
  '0007-audit-chains': auditChainsMigration,
  '0008-domain-depth': domainDepthMigration,
  '0009-verification-misses': verificationMissesMigration,
  '0011-notification-jobs': notificationJobsMigration,
  '0012-challenge-expiry': challengeExpiryMigration,
  '0013-distribution-key': distributionKeyMigration,
  '0014-upload-jobs': uploadJobsMigration,
  '0015-paper-certificates': paperCertificatesMigration,
  '0016-issuance-ranges': issuanceRangesMigration,
};
