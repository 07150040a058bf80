/**
 * The OQS-compatible endpoints' JSON shapes, for the OpenAPI page (issue #15; docs/OQS.md). The
 * requests are read by src/oqs/request.ts, which answers errors in the protocol (SegmentOfResult 9)
 * rather than as problem+json: these schemas document, they do not validate. Element names as in
 * ../shared/reference/domain-research.md §1.2–1.4. No Node imports here.
 */
import { z } from 'zod';

const yyyymmdd = z.string().describe('YYYYMMDD');

export const oqsRequestHeader = z.looseObject({
  QualificationConfirmationDate: yyyymmdd.describe('the day to check eligibility for, YYYYMMDD'),
  MedicalInstitutionCode: z.string().describe('10-digit 医療機関コード: must be the token’s'),
  ArbitraryFileIdentifier: z.string().optional().describe('free, echoed'),
  CharacterCodeIdentifier: z.enum(['0', '1']).optional().describe('XML answer in 0 UTF-8 / 1 Shift_JIS'),
});

export const oqsSearchInfo = z.looseObject({
  InsurerNumber: z.string().describe('保険者番号, 8 characters (a 6-digit 国保 number padded with blanks)'),
  InsuredCardSymbol: z.string().optional().describe('記号'),
  InsuredIdentificationNumber: z.string().describe('番号'),
  InsuredBranchNumber: z.string().optional().describe('枝番, 2 digits'),
  Birthdate: yyyymmdd,
  LimitApplicationCertificateRelatedConsFlg: z.enum(['0', '1']).describe('OQSCD001 consent to limit data'),
  SpecificDiseasesCertificateRelatedConsFlg: z.enum(['0', '1']).optional().describe('consent to 特定疾病 data'),
  ArbitraryIdentifier: z.string().optional(),
});

/** POST …/ILI01030SV01/search (JSON; the same elements as XML with Content-Type application/xml). */
export const oqsSearchRequest = z.object({
  XmlMsg: z.object({
    MessageHeader: oqsRequestHeader,
    MessageBody: z.object({ QualificationConfirmSearchInfo: oqsSearchInfo }),
  }),
});

/** POST /oqs-api-pro/bulk: up to 1,000 queries for one day. */
export const oqsBulkRequest = z.object({
  XmlMsg: z.object({
    MessageHeader: oqsRequestHeader,
    MessageBody: z.object({ QualificationConfirmSearchInfo: z.array(oqsSearchInfo).min(1).max(1000) }),
  }),
});

const element = z.record(z.string(), z.unknown());

export const oqsAnswerHeader = z.looseObject({
  ProcessExecutionTime: z.string().describe('YYYYMMDDHHmmss, Japan time'),
  QualificationConfirmationDate: z.string().optional(),
  MedicalInstitutionCode: z.string().optional(),
  ArbitraryFileIdentifier: z.string().optional(),
  ReferenceClassification: z.enum(['1', '2']).describe('OQSCD002: 1 card, 2 記号・番号'),
  SegmentOfResult: z.enum(['1', '2', '9']).describe('OQSCD003: 1 正常終了, 2 処理中, 9 異常終了'),
  ErrorCode: z.string().optional(),
  ErrorMessage: z.string().optional(),
  CharacterCodeIdentifier: z.enum(['0', '1']),
});

/** The answer to a query (and each BulkConfirmUnit). */
export const oqsAnswerBody = z.looseObject({
  ProcessingResultStatus: z.enum(['1', '2']).describe('OQSCD004'),
  ProcessingResultCode: z.string().optional(),
  ProcessingResultMessage: z.string().optional(),
  QualificationValidity: z.enum(['1', '2', '3', '4', '5']).optional().describe('OQSCD006'),
  QualificationConfirmSearchInfo: element.optional(),
  ResultList: z.array(z.object({ ResultOfQualificationConfirmation: element })).optional(),
});

export const oqsAnswer = z.object({
  XmlMsg: z.object({ MessageHeader: oqsAnswerHeader, MessageBody: oqsAnswerBody }),
});

export const oqsBulkAnswer = z.object({
  XmlMsg: z.object({
    MessageHeader: oqsAnswerHeader,
    MessageBody: z.looseObject({
      ProcessingResultStatus: z.enum(['1', '2']),
      ReceptionNumber: z.string().optional(),
      ReceptionDateTime: z.string().optional().describe('YYYYMMDDHHmmss, Japan time'),
      NumberOfQueries: z.string().optional(),
      NumberOfProcessed: z.string().optional(),
      BulkConfirmUnit: z.array(oqsAnswerBody).optional().describe('once SegmentOfResult is 1'),
    }),
  }),
});

export const receptionParams = z.object({ receptionNumber: z.string().regex(/^\d{1,40}$/) });

export const oqsVerificationQuery = z.object({
  ArbitraryFileIdentifier: z.string().max(100).optional(),
  CharacterCodeIdentifier: z.enum(['0', '1']).optional().describe('with Accept: application/xml, 1 = Shift_JIS'),
});
