import { parseDurationMs } from '../../../core/index.js';
import { z } from 'zod';

const duration = z.string().refine((s) => parseDurationMs(s) !== undefined, 'a duration such as 30s, 5m or 1h30m');
const stringMap = z.record(z.string(), z.string());

/** promtool's rule unit-test file (cmd/promtool/unittest.go), field for field; unknown fields are errors. */
export const unitTestFileSchema = z
  .object({
    rule_files: z.array(z.string()).default([]),
    evaluation_interval: duration.optional(),
    group_eval_order: z.array(z.string()).default([]),
    tests: z
      .array(
        z
          .object({
            interval: duration.optional(),
            input_series: z.array(z.object({ series: z.string(), values: z.union([z.string(), z.number()]).transform(String) }).strict()).default([]),
            alert_rule_test: z
              .array(
                z
                  .object({
                    eval_time: duration.default('0s'),
                    alertname: z.string().default(''),
                    exp_alerts: z.array(z.object({ exp_labels: stringMap.default({}), exp_annotations: stringMap.default({}) }).strict()).default([]),
                  })
                  .strict(),
              )
              .default([]),
            promql_expr_test: z
              .array(
                z
                  .object({
                    expr: z.string(),
                    eval_time: duration.default('0s'),
                    exp_samples: z.array(z.object({ labels: z.string().default(''), value: z.union([z.number(), z.string()]).transform(Number) }).strict()).default([]),
                  })
                  .strict(),
              )
              .default([]),
            external_labels: stringMap.default({}),
            external_url: z.string().default(''),
            name: z.string().default(''),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type UnitTestFile = z.infer<typeof unitTestFileSchema>;
export type TestGroup = UnitTestFile['tests'][number];
