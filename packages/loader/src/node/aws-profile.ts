import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { S3Options } from '../sources/s3-source.js';

type Ini = Map<string, Map<string, string>>;

/** A small INI reader for the AWS shared files (sections, key = value, and indented sub-keys such as `s3 =\n  addressing_style = path`). */
function parseIni(text: string): Ini {
  const out: Ini = new Map();
  let section: Map<string, string> | undefined;
  let parent: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*([#;]|$)/.test(raw)) continue;
    const sec = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (sec) {
      section = new Map();
      out.set(sec[1]!.trim(), section);
      parent = undefined;
      continue;
    }
    const kv = /^(\s*)([^=\s]+)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!kv || !section) continue;
    const [, indent, key, value] = kv as unknown as [string, string, string, string];
    if (indent.length > 0 && parent) section.set(`${parent}.${key.toLowerCase()}`, value);
    else {
      section.set(key.toLowerCase(), value);
      parent = value === '' ? key.toLowerCase() : undefined;
    }
  }
  return out;
}

function readIni(path: string): Ini {
  try {
    return parseIni(readFileSync(path, 'utf8'));
  } catch {
    return new Map();
  }
}

/**
 * S3 settings from the AWS shared files for AWS_PROFILE (default "default"): credentials from
 * AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials) then AWS_CONFIG_FILE (~/.aws/config), and region,
 * endpoint_url and s3.addressing_style from the config file.
 */
export function s3OptionsFromProfile(env: Readonly<Record<string, string | undefined>> = process.env): S3Options {
  const profile = env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE ?? 'default';
  const home = env.HOME ?? homedir();
  const creds = readIni(env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials')).get(profile);
  const config = readIni(env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config')).get(
    profile === 'default' ? 'default' : `profile ${profile}`,
  );
  const pick = (k: string) => creds?.get(k) ?? config?.get(k);
  const out: S3Options = {};
  const id = pick('aws_access_key_id');
  const secret = pick('aws_secret_access_key');
  if (id && secret) {
    const token = pick('aws_session_token');
    out.credentials = { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) };
  }
  const region = config?.get('region');
  if (region) out.region = region;
  const endpoint = config?.get('s3.endpoint_url') ?? config?.get('endpoint_url');
  if (endpoint) out.endpoint = endpoint;
  const style = config?.get('s3.addressing_style');
  if (style === 'path' || style === 'virtual' || style === 'auto') out.addressing = style;
  return out;
}

/**
 * Options, then the AWS_* environment variables, then the profile files — the AWS CLI's order. Only what
 * neither the options nor the environment set is taken from the profile.
 */
export function nodeS3Options(
  options: S3Options = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): S3Options {
  const p = s3OptionsFromProfile(env);
  const envCreds = Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
  return {
    ...options,
    env,
    ...(!options.credentials && !envCreds && p.credentials ? { credentials: p.credentials } : {}),
    ...(!options.region && !env.AWS_REGION && !env.AWS_DEFAULT_REGION && p.region ? { region: p.region } : {}),
    ...(!options.endpoint && !env.AWS_ENDPOINT_URL_S3 && !env.AWS_ENDPOINT_URL && p.endpoint
      ? { endpoint: p.endpoint }
      : {}),
    ...(!options.addressing && !env.FAYGER_S3_ADDRESSING && p.addressing ? { addressing: p.addressing } : {}),
  };
}
