import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's root (the nearest directory up from here with nx.json: Jest and tsx both start in the project). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json')) && existsSync(join(dir, 'docker'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root (nx.json and docker/) above ${from}`);
  }
}

/** The repository's root and the files under docker/ that these checks are about. */
export const ROOT = findRoot(process.cwd());
export const DOCKER = join(ROOT, 'docker');
export const DASHBOARD = join(DOCKER, 'grafana', 'dashboards', 'stb-bench.json');
export const PROMETHEUS_DIR = join(DOCKER, 'prometheus');
export const DATASOURCES = join(DOCKER, 'grafana', 'provisioning', 'datasources', 'prometheus.yml');
export const COMPOSE = join(DOCKER, 'compose.yaml');
export const STB = join(ROOT, 'packages', 'cli', 'bin', 'run.js');
