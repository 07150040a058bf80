/**
 * A reader of OQS answers written from the field tables of ../shared/reference/domain-research.md
 * §1.2–1.4 alone, as a clinic system's parser would be: it never imports src/oqs. It takes the bytes
 * of an answer (JSON, or XML in UTF-8 or Shift_JIS), refuses any element the tables do not name, and
 * gives the header, the body and each ResultOfQualificationConfirmation as plain string maps.
 * `clinicView` then reads what a レセコン needs, the way myclinic-ts does ([mc-futan]): the ratio from
 * ElderlyRecipientContributionRatio for 70–74, else 2割 for 未就学 and 3割 otherwise.
 */
import { XMLParser } from 'fast-xml-parser';
import iconv from 'iconv-lite';

/** §1.2 and the reply header ([mc-header]). */
export const HEADER_ELEMENTS = new Set([
  'ProcessExecutionTime',
  'QualificationConfirmationDate',
  'MedicalInstitutionCode',
  'ArbitraryFileIdentifier',
  'ReferenceClassification',
  'SegmentOfResult',
  'ErrorCode',
  'ErrorMessage',
  'CharacterCodeIdentifier',
]);

/** §1.2 QualificationConfirmSearchInfo (+ the 特定疾病 consent flag of §1.4). */
export const SEARCH_INFO_ELEMENTS = new Set([
  'InsurerNumber',
  'InsuredCardSymbol',
  'InsuredIdentificationNumber',
  'InsuredBranchNumber',
  'Birthdate',
  'LimitApplicationCertificateRelatedConsFlg',
  'SpecificDiseasesCertificateRelatedConsFlg',
  'ArbitraryIdentifier',
]);

/** §1.3 MessageBody, plus the bulk elements (§1.1: ReceptionNumber, ReceptionDateTime, BulkConfirmUnit). */
export const BODY_ELEMENTS = new Set([
  'ProcessingResultStatus',
  'ProcessingResultCode',
  'ProcessingResultMessage',
  'QualificationValidity',
  'PrescriptionIssueSelect',
  'QualificationConfirmSearchInfo',
  'ResultList',
  'ReceptionNumber',
  'ReceptionDateTime',
  'BulkConfirmUnit',
  // Shikaku's progress counts on a bulk answer (documented in docs/OQS.md).
  'NumberOfQueries',
  'NumberOfProcessed',
]);

/** §1.3 ResultOfQualificationConfirmation. */
export const RESULT_ELEMENTS = new Set([
  'InsuredCardClassification',
  'InsurerNumber',
  'InsurerName',
  'InsuredCardSymbol',
  'InsuredIdentificationNumber',
  'InsuredBranchNumber',
  'PersonalFamilyClassification',
  'InsuredName',
  'Name',
  'NameKana',
  'NameOfOther',
  'NameOfOtherKana',
  'Sex1',
  'Sex2',
  'Birthdate',
  'Address',
  'PostNumber',
  'QualificationDate',
  'DisqualificationDate',
  'InsuredCertificateIssuanceDate',
  'InsuredCardValidDate',
  'InsuredCardExpirationDate',
  'InsuredPartialContributionRatio',
  'PreschoolClassification',
  'ReasonOfLoss',
  'ElderlyRecipientCertificateInfo',
  'LimitApplicationCertificateRelatedConsFlg',
  'LimitApplicationCertificateRelatedConsTime',
  'LimitApplicationCertificateRelatedInfo',
  'SpecificDiseasesCertificateRelatedConsFlg',
  'SpecificDiseasesCertificateRelatedConsTime',
  'SpecificDiseasesCertificateList',
  'ReferenceNumber',
  'LimitApplicationCertificateChanged',
]);

const ELDERLY_ELEMENTS = new Set([
  'ElderlyRecipientCertificateDate',
  'ElderlyRecipientValidStartDate',
  'ElderlyRecipientValidEndDate',
  'ElderlyRecipientContributionRatio',
]);
const LIMIT_ELEMENTS = new Set([
  'LimitApplicationCertificateClassification',
  'LimitApplicationCertificateClassificationFlag',
  'LimitApplicationCertificateDate',
  'LimitApplicationCertificateValidStartDate',
  'LimitApplicationCertificateValidEndDate',
  'LimitApplicationCertificateLongTermDate',
]);
const DISEASE_ELEMENTS = new Set([
  'SpecificDiseasesDiseaseCategory',
  'SpecificDiseasesCertificateDate',
  'SpecificDiseasesValidStartDate',
  'SpecificDiseasesValidEndDate',
  'SpecificDiseasesSelfPay',
]);

type Flat = Record<string, string>;

export interface ReadResult {
  elderly: Flat | undefined;
  limit: Flat | undefined;
  diseases: Flat[];
  fields: Flat;
}

export interface ReadBody {
  fields: Flat;
  echo: Flat | undefined;
  results: ReadResult[];
}

export interface ReadAnswer {
  header: Flat;
  body: ReadBody;
  /** Bulk answers: each BulkConfirmUnit. */
  units: ReadBody[];
  encoding: 'UTF-8' | 'Shift_JIS' | 'JSON';
}

function fail(message: string): never {
  throw new Error(`OQS reader: ${message}`);
}

function leafMap(node: unknown, allowed: Set<string>, where: string): Flat {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) fail(`${where} is not an element`);
  const out: Flat = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (!allowed.has(k)) fail(`unknown element ${where}/${k}`);
    if (typeof v !== 'string') fail(`${where}/${k} is not text`);
    out[k] = v;
  }
  return out;
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function readResult(node: Record<string, unknown>): ReadResult {
  const fields: Flat = {};
  let elderly: Flat | undefined;
  let limit: Flat | undefined;
  let diseases: Flat[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (!RESULT_ELEMENTS.has(k)) fail(`unknown element ResultOfQualificationConfirmation/${k}`);
    if (k === 'ElderlyRecipientCertificateInfo') elderly = leafMap(v, ELDERLY_ELEMENTS, k);
    else if (k === 'LimitApplicationCertificateRelatedInfo') limit = leafMap(v, LIMIT_ELEMENTS, k);
    else if (k === 'SpecificDiseasesCertificateList') {
      // JSON: [{SpecificDiseasesCertificateInfo: …}]; XML: <List><…Info/>…</List>.
      const items = Array.isArray(v)
        ? v.map((x) => (x as Record<string, unknown>).SpecificDiseasesCertificateInfo)
        : list((v as Record<string, unknown>).SpecificDiseasesCertificateInfo);
      diseases = items.map((x) => leafMap(x, DISEASE_ELEMENTS, 'SpecificDiseasesCertificateInfo'));
    } else if (typeof v === 'string') fields[k] = v;
    else fail(`${k} is not text`);
  }
  return { elderly, limit, diseases, fields };
}

function readBody(node: Record<string, unknown>, where: string): ReadBody {
  const fields: Flat = {};
  let echo: Flat | undefined;
  let results: ReadResult[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (!BODY_ELEMENTS.has(k)) fail(`unknown element ${where}/${k}`);
    if (k === 'QualificationConfirmSearchInfo') echo = leafMap(v, SEARCH_INFO_ELEMENTS, k);
    else if (k === 'ResultList') {
      const items = Array.isArray(v)
        ? v.map((x) => (x as Record<string, unknown>).ResultOfQualificationConfirmation)
        : list((v as Record<string, unknown>).ResultOfQualificationConfirmation);
      results = items.map((x) => readResult(x as Record<string, unknown>));
    } else if (k === 'BulkConfirmUnit') {
      // read by the caller
    } else if (typeof v === 'string') fields[k] = v;
    else fail(`${where}/${k} is not text`);
  }
  return { fields, echo, results };
}

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) =>
    ['BulkConfirmUnit', 'ResultOfQualificationConfirmation', 'SpecificDiseasesCertificateInfo'].includes(name),
});

/** Reads an answer's bytes by its Content-Type. */
export function readOqsAnswer(bytes: Buffer | string, contentType: string): ReadAnswer {
  const raw = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  let tree: Record<string, unknown>;
  let encoding: ReadAnswer['encoding'];
  if (/json/i.test(contentType)) {
    tree = JSON.parse(raw.toString('utf8'));
    encoding = 'JSON';
  } else {
    const declared = /encoding="([^"]+)"/.exec(raw.subarray(0, 100).toString('latin1'))?.[1];
    if (!declared) fail('no XML declaration with an encoding');
    encoding = /shift_jis/i.test(declared) ? 'Shift_JIS' : 'UTF-8';
    if (encoding === 'Shift_JIS' && !/shift_jis/i.test(contentType))
      fail('Shift_JIS body without charset in Content-Type');
    const text = encoding === 'Shift_JIS' ? iconv.decode(raw, 'Shift_JIS') : raw.toString('utf8');
    tree = xml.parse(text);
    delete tree['?xml'];
  }
  const msg = tree.XmlMsg as Record<string, unknown> | undefined;
  if (!msg || Object.keys(tree).length !== 1) fail('the root is not XmlMsg');
  const header = leafMap(msg.MessageHeader, HEADER_ELEMENTS, 'MessageHeader');
  const bodyNode = msg.MessageBody as Record<string, unknown>;
  const body = readBody(bodyNode, 'MessageBody');
  const units = list(bodyNode.BulkConfirmUnit).map((u) => readBody(u as Record<string, unknown>, 'BulkConfirmUnit'));
  return { header, body, units, encoding };
}

/** `YYYYMMDD` → ISO. */
const iso = (d: string | undefined) => (d ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : undefined);

/** What a レセコン takes from one answer ([mc-futan]: the ratio is derived for under-70s). */
export function clinicView(body: ReadBody) {
  const r = body.results[0];
  const validity = { '1': '有効', '2': '無効', '3': '無効（新しい資格あり）', '4': '該当資格なし', '5': '複数該当' }[
    body.fields.QualificationValidity ?? ''
  ];
  if (!r) return { validity, person: undefined };
  const elderRatio = r.elderly?.ElderlyRecipientContributionRatio;
  const ratio = elderRatio ? Number(elderRatio) / 10 : r.fields.PreschoolClassification === '1' ? 2 : 3;
  const flag = r.limit?.LimitApplicationCertificateClassificationFlag;
  const limitCategory = flag
    ? (
        {
          A01: 'ア',
          A02: 'イ',
          A03: 'ウ',
          A04: 'エ',
          A05: 'オ',
          B01: '現役並みⅢ',
          B02: '現役並みⅡ',
          B03: '現役並みⅠ',
          B04: '一般',
          B05: '低所得Ⅱ',
          B06: '低所得Ⅰ',
        } as Record<string, string>
      )[flag]
    : undefined;
  return {
    validity,
    person: {
      name: r.fields.Name,
      kana: r.fields.NameKana,
      sex: r.fields.Sex1 === '1' ? '男' : r.fields.Sex1 === '2' ? '女' : '未設定',
      birthDate: iso(r.fields.Birthdate),
    },
    insurer: { number: r.fields.InsurerNumber, name: r.fields.InsurerName },
    member: {
      symbol: r.fields.InsuredCardSymbol,
      number: r.fields.InsuredIdentificationNumber,
      branch: r.fields.InsuredBranchNumber,
      honninKazoku: r.fields.PersonalFamilyClassification === '1' ? '本人' : '家族',
    },
    ratioWari: ratio,
    limitCategory,
    validFrom: iso(r.fields.QualificationDate),
    lostOn: iso(r.fields.DisqualificationDate),
  };
}
