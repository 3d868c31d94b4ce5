// Public API of @gridtokenx/matching (being built; see the matching issue).
export const packageName = '@gridtokenx/matching';
