import { StbError } from '@sqltrace/core';

export type TensorFlow = typeof import('@tensorflow/tfjs');

/** `tensorflow` is @tensorflow/tfjs-node (native libtensorflow), `wasm` the WebAssembly backend, `cpu` plain JavaScript. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export interface LoadedTensorFlow {
  readonly tf: TensorFlow;
  /** The backend that runs. */
  readonly backend: BackendName;
}

// Held in a variable so bundlers and the type checker leave the optional peer alone.
const TFJS_NODE = '@tensorflow/tfjs-node';

let tfjs: Promise<TensorFlow> | undefined;
let nativeAvailable: Promise<boolean> | undefined;

async function loadTfjs(): Promise<TensorFlow> {
  const mod = (await import('@tensorflow/tfjs')) as TensorFlow & { default?: TensorFlow };
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
 * TensorFlow.js on the best backend available: tfjs-node when it is installed (an optional peer:
 * its install downloads libtensorflow), otherwise WebAssembly, otherwise plain JavaScript.
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
    if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
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
    hint: choice === 'tensorflow' ? 'Install it with `npm install @tensorflow/tfjs-node`, or use --backend wasm' : 'Use --backend auto',
  });
}
