/** An editable name/value row; `key` keeps Svelte's keyed lists stable while rows are removed. */
export interface Row {
  key: number;
  name: string;
  value: string;
}

let next = 0;
export function newRow(name = '', value = ''): Row {
  next += 1;
  return { key: next, name, value };
}
