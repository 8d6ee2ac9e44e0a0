import { spawn } from 'node:child_process';

/** What a program printed, once it exited 0. */
export interface ProgramOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program to completion; a non-zero exit or a missing program is an Error that quotes
 * the command and the end of its stderr (what a person needs to see why a capture failed).
 */
export function runProgram(program: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ProgramOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'ENOENT'
            ? `${program} is not installed (apt-get install ${program === 'pgbench' ? 'postgresql-client' : program})`
            : `${program}: ${error.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${program} ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}
