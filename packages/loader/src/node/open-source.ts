import { resolve } from 'node:path';
import type { BufSource } from '@fayger/contracts';
import { openSource as openAnySource, type OpenSourceOptions } from '../open-source.js';
import { FileSource } from './file-source.js';
import { nodeS3Options } from './aws-profile.js';

export interface NodeOpenSourceOptions extends OpenSourceOptions {
  /** Base directory for relative paths (default process.cwd()). */
  cwd?: string;
}

/**
 * openSource for Node: everything the main entry opens, plus file paths and file: URLs (FileSource, close it
 * when done), and S3 settings from the AWS profile files (AWS_PROFILE, ~/.aws/credentials, ~/.aws/config)
 * after options and AWS_* environment variables.
 */
export function openSource(ref: string | URL, options: NodeOpenSourceOptions = {}): Promise<BufSource> {
  const env = options.env ?? process.env;
  return openAnySource(ref, {
    ...options,
    env,
    ...(/^s3:/i.test(String(ref)) ? { s3: nodeS3Options(options.s3, env) } : {}),
    file: options.file ?? ((path) => FileSource.open(resolve(options.cwd ?? process.cwd(), path))),
  });
}
