export * from './types';
export * from './rules';
export { formatVietnameseNumber, groupThousands, sumExactly } from './numbers';
export { canonicalText, isBlankText } from './text';
export { formatDate } from './dates';
export { fieldDefinitionProblems, type DefinitionProblem } from './definition';
