/**
 * The namespace must know every custom search attribute the workflows set (their list is
 * workflows/search-attributes.ts), or the first workflow start fails deep inside a plan. So
 * `kehoach run` and the standalone worker check it once at start-up: missing attributes are
 * registered where the server allows it (a self-hosted cluster, the dev server), and otherwise the
 * process stops with the names and the command an operator runs (Temporal Cloud, a user without
 * operator rights, a namespace out of visibility slots).
 */
import type { SearchAttributeType } from '@temporalio/common';
import proto, { type temporal } from '@temporalio/proto';
import { UserError } from '../domain/user-error';
import { KEHOACH_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

type OperatorService = temporal.api.operatorservice.v1.OperatorService;

type IndexedValueType = temporal.api.enums.v1.IndexedValueType;
const INDEXED = proto.temporal.api.enums.v1.IndexedValueType;

/** Each type as the operator service and as `temporal ... --type` / `--search-attribute` name it. */
const TYPES: Record<SearchAttributeType, { indexed: IndexedValueType; cli: string }> = {
  TEXT: { indexed: INDEXED.INDEXED_VALUE_TYPE_TEXT, cli: 'Text' },
  KEYWORD: { indexed: INDEXED.INDEXED_VALUE_TYPE_KEYWORD, cli: 'Keyword' },
  INT: { indexed: INDEXED.INDEXED_VALUE_TYPE_INT, cli: 'Int' },
  DOUBLE: { indexed: INDEXED.INDEXED_VALUE_TYPE_DOUBLE, cli: 'Double' },
  BOOL: { indexed: INDEXED.INDEXED_VALUE_TYPE_BOOL, cli: 'Bool' },
  DATETIME: { indexed: INDEXED.INDEXED_VALUE_TYPE_DATETIME, cli: 'Datetime' },
  KEYWORD_LIST: { indexed: INDEXED.INDEXED_VALUE_TYPE_KEYWORD_LIST, cli: 'KeywordList' },
};

/** `--search-attribute Name=Type` arguments of `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  return KEHOACH_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${TYPES[key.type].cli}`]);
}

function indexedValueTypes(keys: readonly (typeof KEHOACH_SEARCH_ATTRIBUTES)[number][]): Record<string, IndexedValueType> {
  return Object.fromEntries(keys.map((key) => [key.name, TYPES[key.type].indexed]));
}

/** Registers the whole table (a fresh test server's namespace). */
export async function registerSearchAttributes(connection: { operatorService: OperatorService }, namespace: string): Promise<void> {
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: indexedValueTypes(KEHOACH_SEARCH_ATTRIBUTES) });
}

export interface SearchAttributeCheck {
  /** Names registered by this check (empty when the namespace already had them all). */
  registered: string[];
}

function createCommands(namespace: string, names: readonly string[]): string {
  return KEHOACH_SEARCH_ATTRIBUTES.filter((key) => names.includes(key.name))
    .map((key) => `  temporal operator search-attribute create --namespace ${namespace} --name ${key.name} --type ${TYPES[key.type].cli}`)
    .join('\n');
}

/**
 * Checks `namespace` against the table; registers what is missing if the server lets us, and
 * throws a UserError naming every missing or mistyped attribute otherwise.
 */
export async function ensureSearchAttributes(connection: { operatorService: OperatorService }, namespace: string): Promise<SearchAttributeCheck> {
  let existing: Record<string, IndexedValueType>;
  try {
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    existing = { ...listed.systemAttributes, ...listed.customAttributes };
  } catch (err) {
    throw new UserError(
      `không đọc được danh sách thuộc tính tìm kiếm của không gian tên "${namespace}" (${(err as Error).message}); hãy kiểm tra TEMPORAL_NAMESPACE và quyền của tài khoản Temporal.`,
      1,
    );
  }
  const mistyped = KEHOACH_SEARCH_ATTRIBUTES.filter(
    (key) => existing[key.name] !== undefined && existing[key.name] !== TYPES[key.type].indexed,
  );
  if (mistyped.length > 0) {
    const list = mistyped.map((key) => `${key.name} (cần kiểu ${TYPES[key.type].cli})`).join(', ');
    throw new UserError(
      `không gian tên "${namespace}" đã có thuộc tính tìm kiếm trùng tên nhưng khác kiểu: ${list}. ` +
        'Kiểu của một thuộc tính đã đăng ký không đổi được; hãy dùng một không gian tên khác (TEMPORAL_NAMESPACE).',
      1,
    );
  }
  const missing = KEHOACH_SEARCH_ATTRIBUTES.filter((key) => existing[key.name] === undefined);
  if (missing.length === 0) return { registered: [] };
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: indexedValueTypes(missing) });
  } catch (err) {
    const names = missing.map((key) => key.name);
    throw new UserError(
      `không gian tên "${namespace}" thiếu ${names.length} thuộc tính tìm kiếm mà kehoach cần: ${names.join(', ')}, ` +
        `và máy chủ không cho đăng ký tự động (${(err as Error).message}). ` +
        `Người quản trị Temporal hãy thêm chúng một lần rồi khởi động lại:\n${createCommands(namespace, names)}\n` +
        '(Temporal Cloud: tcld namespace search-attributes add, cùng tên và kiểu.)',
      1,
    );
  }
  return { registered: missing.map((key) => key.name) };
}
