/** The `llm` section of tracks.config.yaml: the keys the providers read. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, defaultConfigText, parseConfig } from '../../src/config/config.js';

describe('llm config', () => {
  it('reads provider openai, base_url and the two timeouts; defaults are a few minutes, not half an hour', () => {
    const { config, problems } = parseConfig('llm:\n  provider: openai\n  base_url: http://localhost:11434/v1\n  model: qwen2.5:14b\n  timeout_seconds: 900\n  request_timeout_seconds: 60\n', 'tracks.config.yaml');
    expect(problems).toEqual([]);
    expect(config.llm).toEqual({ provider: 'openai', model: 'qwen2.5:14b', maxTokens: 16000, baseUrl: 'http://localhost:11434/v1', timeoutSeconds: 900, requestTimeoutSeconds: 60 });
    expect(DEFAULT_CONFIG.llm).toMatchObject({ timeoutSeconds: 300, requestTimeoutSeconds: 120 });
    expect(DEFAULT_CONFIG.llm.baseUrl).toBeUndefined();
  });

  it('refuses a base_url that is not http(s) and a zero timeout, and suggests the key a typo meant', () => {
    const bad = parseConfig('llm:\n  base_url: localhost:11434\n  timeout_seconds: 0\n', 'tracks.config.yaml');
    expect(bad.problems.map((p) => `${p.line}:${p.code}`)).toEqual(['2:config/schema', '3:config/schema']);
    const typo = parseConfig('llm:\n  timeout_secs: 60\n', 'tracks.config.yaml');
    expect(typo.problems[0]).toMatchObject({ code: 'config/unknown-key', message: 'unknown key "llm.timeout_secs" is ignored' });
    expect(typo.problems[0]!.hint).toContain('timeout_seconds');
  });

  it('tracks init writes the new keys, and what it writes parses clean', () => {
    const text = defaultConfigText();
    expect(text).toContain('  # base_url: http://localhost:11434/v1\n  # Deadline');
    expect(text).toContain('  timeout_seconds: 300\n  request_timeout_seconds: 120\n');
    expect(parseConfig(text, 'tracks.config.yaml')).toEqual({ config: DEFAULT_CONFIG, problems: [] });
  });
});
