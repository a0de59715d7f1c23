import type { Node } from './templateAst.js';
import { executeTemplate } from './templateExec.js';
import type { QuerySample } from './templateFuncs.js';
import { parseTemplate } from './templateParser.js';

/** What an alert's labels and annotations are expanded with (Prometheus' AlertTemplateData). */
export interface AlertTemplateData {
  readonly labels: Readonly<Record<string, string>>;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly value: number;
}

/** The `query` template function: evaluates PromQL at the rule's evaluation time. */
export type TemplateQuery = (expr: string) => Promise<readonly QuerySample[]>;

/**
 * A label or annotation template of one rule, parsed once. expand() never throws: like
 * Prometheus, a failure becomes the text `<error expanding template: …>`.
 */
export class AlertTemplate {
  private readonly nodes: readonly Node[] | undefined;
  private readonly syntaxError: string | undefined;

  constructor(
    private readonly name: string,
    readonly text: string,
  ) {
    if (!text.includes('{{')) {
      this.nodes = undefined;
      this.syntaxError = undefined;
      return;
    }
    let nodes: Node[] | undefined;
    let error: string | undefined;
    try {
      nodes = parseTemplate(text);
    } catch (err) {
      error = `template: ${name}: ${(err as Error).message}`;
    }
    this.nodes = nodes;
    this.syntaxError = error;
  }

  /** The parse error, if the text is not a valid template (rule checks report it). */
  get error(): string | undefined {
    return this.syntaxError;
  }

  async expand(data: AlertTemplateData, query: TemplateQuery): Promise<string> {
    if (this.syntaxError !== undefined) return `<error expanding template: ${this.syntaxError}>`;
    if (this.nodes === undefined) return this.text;
    // The variables Prometheus defines before every alert template.
    const root = { Labels: data.labels, ExternalLabels: data.externalLabels, ExternalURL: data.externalURL, Value: data.value };
    const vars = new Map<string, unknown>([
      ['$labels', data.labels],
      ['$externalLabels', data.externalLabels],
      ['$externalURL', data.externalURL],
      ['$value', data.value],
    ]);
    try {
      return await executeTemplate(this.nodes, root, vars, { query, externalURL: data.externalURL });
    } catch (err) {
      return `<error expanding template: template: ${this.name}: ${(err as Error).message}>`;
    }
  }
}
