export { runRuleUnitTestFile, runRuleUnitTests } from './ruleUnitTest.js';
export type { UnitTestResult } from './ruleUnitTest.js';
export { MemoryStorage } from './memoryStorage.js';
