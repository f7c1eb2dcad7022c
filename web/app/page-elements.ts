/** The page's elements by id, typed; a missing one is a build mistake, reported at once. */
export const element = <T extends HTMLElement>(id: string, type: new () => T): T => {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`The page has no ${type.name} #${id}`);
  return found;
};

/** A table row of text cells (text, never markup: a description is whatever a client sent). */
export const textRow = (cells: readonly { text: string; numeric?: boolean }[]): HTMLTableRowElement => {
  const row = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = cell.text;
    if (cell.numeric) td.className = 'number';
    row.append(td);
  }
  return row;
};

export const show = (target: HTMLElement, visible: boolean): void => {
  target.hidden = !visible;
};

let idCount = 0;
/** A fresh element id, for the labels and descriptions of elements the app makes as it goes. */
export const freshId = (prefix: string): string => `${prefix}-${(idCount += 1)}`;
