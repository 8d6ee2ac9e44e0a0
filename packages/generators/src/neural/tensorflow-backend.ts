import type * as TfjsModule from '@tensorflow/tfjs';
import { StbError } from '@sqltrace/core';

export type TensorFlow = typeof TfjsModule;

/** `tensorflow` is @tensorflow/tfjs-node (native libtensorflow), `wasm` the WebAssembly backend, `cpu` plain JavaScript. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export interface LoadedTensorFlow {
  readonly tf: TensorFlow;
  /** The backend that runs. */
  readonly backend: BackendName;
}

// Held in variables so bundlers and the type checker leave the optional peers alone.
const TFJS = '@tensorflow/tfjs';
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';
const TFJS_NODE = '@tensorflow/tfjs-node';

let tfjs: Promise<TensorFlow> | undefined;
let nativeAvailable: Promise<boolean> | undefined;

/** What a user installs to train or run the neural strategies (optional peers: a Markov-only install goes without). */
export const TENSORFLOW_PACKAGES = '@tensorflow/tfjs @tensorflow/tfjs-backend-wasm';

/** Whether `error` says that `name` itself (not something it imports) could not be found. */
function notInstalled(error: unknown, name: string): boolean {
  const e = error as { code?: string; message?: string };
  return (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') && (e.message ?? '').includes(`'${name}'`);
}

// The union package rather than tfjs-core and the cpu backend alone: in Node only its bundle
// registers the gradients (tfjs-core's own gradient modules are ESM without file extensions,
// which Node cannot import), and training needs them.
async function loadTfjs(): Promise<TensorFlow> {
  let mod: TensorFlow & { default?: TensorFlow };
  try {
    mod = (await import(TFJS)) as TensorFlow & { default?: TensorFlow };
  } catch (error) {
    tfjs = undefined; // installed later in the same process: try again
    if (!notInstalled(error, TFJS)) throw error;
    throw new StbError('E_USAGE', 'the lstm and transformer strategies need TensorFlow.js, which is not installed', {
      hint: `Install it beside @sqltrace/generators: \`npm install ${TENSORFLOW_PACKAGES}\` (or use the markov strategy)`,
    });
  }
  const tf = mod.default ?? mod;
  // PROD: no debug checks, and no console advice to install tfjs-node on every run.
  tf.env().set('PROD', true);
  return tf;
}

/** Whether @tensorflow/tfjs-node is installed and loads (it registers the `tensorflow` backend). */
async function loadNative(): Promise<boolean> {
  try {
    await import(TFJS_NODE);
    return true;
  } catch {
    return false;
  }
}

/**
 * TensorFlow.js on the best backend available: tfjs-node when it is installed (its install
 * downloads libtensorflow), otherwise WebAssembly when installed, otherwise plain JavaScript. All are
 * optional peers, loaded on first use: without @tensorflow/tfjs, an error naming what to install.
 * `choice` forces one; a forced backend that cannot start is an error, never a silent fallback.
 */
export async function loadTensorFlow(choice: BackendChoice = 'auto'): Promise<LoadedTensorFlow> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new StbError('E_USAGE', `unknown TensorFlow.js backend "${String(choice)}"`, { hint: `Choose one of: ${BACKEND_CHOICES.join(', ')}` });
  }
  const tf = await (tfjs ??= loadTfjs());
  const candidates: BackendName[] = choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [choice];
  const failures: string[] = [];
  for (const name of candidates) {
    if (tf.getBackend() === name) return { tf, backend: name };
    if (name === 'tensorflow' && !(await (nativeAvailable ??= loadNative()))) {
      failures.push('tensorflow: @tensorflow/tfjs-node is not installed');
      continue;
    }
    if (name === 'wasm') {
      try {
        await import(TFJS_WASM);
      } catch (error) {
        if (!notInstalled(error, TFJS_WASM)) throw error;
        failures.push(`wasm: ${TFJS_WASM} is not installed`);
        continue;
      }
    }
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { tf, backend: name };
      }
      failures.push(`${name}: did not start`);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new StbError('E_USAGE', `the TensorFlow.js backend "${choice}" is not available (${failures.join('; ')})`, {
    hint:
      choice === 'tensorflow'
        ? 'Install it with `npm install @tensorflow/tfjs-node`, or use --backend wasm'
        : choice === 'wasm'
          ? `Install it with \`npm install ${TFJS_WASM}\`, or use --backend auto`
          : 'Use --backend auto',
  });
}
