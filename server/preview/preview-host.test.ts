import { describe, expect, it } from 'vitest';
import { parsePreviewHost, previewUrl } from './preview-host';

const cap = '0123456789abcdef0123456789abcdef';

describe('parsePreviewHost', () => {
  it('accepts one p-<capability> label directly under a domain with a port', () => {
    expect(parsePreviewHost(`p-${cap}.localhost:3000`, 'localhost:3000')).toEqual({ kind: 'preview', capability: cap });
  });

  it('compares case-insensitively (host and domain)', () => {
    expect(parsePreviewHost(`P-${cap.toUpperCase()}.LocalHost:3000`, 'localhost:3000')).toEqual({
      kind: 'preview',
      capability: cap,
    });
    expect(parsePreviewHost(`p-${cap}.preview.example.com`, 'Preview.Example.com')).toEqual({
      kind: 'preview',
      capability: cap,
    });
  });

  it('treats the port as part of a domain that has one', () => {
    expect(parsePreviewHost(`p-${cap}.localhost:3001`, 'localhost:3000')).toEqual({ kind: 'other' });
    expect(parsePreviewHost(`p-${cap}.localhost`, 'localhost:3000')).toEqual({ kind: 'other' });
  });

  it('ignores the port for a domain without one', () => {
    expect(parsePreviewHost(`p-${cap}.preview.example.com:443`, 'preview.example.com')).toEqual({
      kind: 'preview',
      capability: cap,
    });
    expect(parsePreviewHost(`p-${cap}.preview.example.com`, 'preview.example.com')).toEqual({
      kind: 'preview',
      capability: cap,
    });
  });

  it("leaves Berth's own host and foreign hosts alone", () => {
    expect(parsePreviewHost('localhost:3000', 'localhost:3000')).toEqual({ kind: 'other' });
    expect(parsePreviewHost('127.0.0.1:3000', 'localhost:3000')).toEqual({ kind: 'other' });
    expect(parsePreviewHost(`p-${cap}.evil.test:3000`, 'localhost:3000')).toEqual({ kind: 'other' });
    expect(parsePreviewHost(`p-${cap}.notlocalhost:3000`, 'localhost:3000')).toEqual({ kind: 'other' });
    expect(parsePreviewHost(undefined, 'localhost:3000')).toEqual({ kind: 'other' });
    expect(parsePreviewHost('', 'localhost:3000')).toEqual({ kind: 'other' });
  });

  it('calls any other name under the preview domain malformed', () => {
    for (const host of [
      `a.p-${cap}.localhost:3000`, // nested label
      `p-${cap.slice(1)}.localhost:3000`, // too short
      `p-${cap}0.localhost:3000`, // too long
      `p-${cap.slice(1)}g.localhost:3000`, // not hex
      `p-XYZ.localhost:3000`,
      `p_${cap}.localhost:3000`,
      `x-${cap}.localhost:3000`,
      `p-${cap.slice(1)}%.localhost:3000`, // bad characters
      `www.localhost:3000`,
      `.localhost:3000`,
    ]) {
      expect(parsePreviewHost(host, 'localhost:3000'), host).toEqual({ kind: 'malformed' });
    }
  });

  it('builds the URL it parses', () => {
    const url = new URL(previewUrl('http', cap, 'localhost:3000'));
    expect(url.href).toBe(`http://p-${cap}.localhost:3000/`);
    expect(parsePreviewHost(url.host, 'localhost:3000')).toEqual({ kind: 'preview', capability: cap });
  });
});

describe('parsePreviewHost: deployment hosts', () => {
  it('reads d-<projectId>-<env>, the environment holding dashes', () => {
    expect(parsePreviewHost('d-cmabc123-production.localhost:3000', 'localhost:3000')).toEqual({
      kind: 'deployment',
      label: 'd-cmabc123-production',
      projectId: 'cmabc123',
      environment: 'production',
    });
    expect(parsePreviewHost('D-CMABC123-Staging-2.preview.example.com', 'preview.example.com')).toMatchObject({
      kind: 'deployment',
      projectId: 'cmabc123',
      environment: 'staging-2',
    });
  });

  it('calls a d- label that names no environment malformed', () => {
    for (const label of ['d-', 'd-abc', 'd-abc-', 'd--production', 'd-abc-9prod', 'd-ab_c-production'])
      expect(parsePreviewHost(`${label}.localhost:3000`, 'localhost:3000'), label).toEqual({ kind: 'malformed' });
  });

  it('is not a deployment outside the preview domain or deeper under it', () => {
    expect(parsePreviewHost('d-abc-production.example.com', 'localhost:3000')).toEqual({ kind: 'other' });
    expect(parsePreviewHost('x.d-abc-production.localhost:3000', 'localhost:3000')).toEqual({ kind: 'malformed' });
  });
});
