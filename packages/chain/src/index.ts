// Public API of @gridtokenx/chain (being built; see the chain issue).
export const packageName = '@gridtokenx/chain';
