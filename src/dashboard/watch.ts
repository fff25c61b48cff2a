// How the dashboard learns that another process changed something, without polling: the kernel
// tells it (inotify on Linux, FSEvents on macOS, through fs.watch). NOTE: every state change of
// every crewtree process (a claim, a landing, a queue entry, the queue's lease) ends in a ref
// update, and git writes a loose ref as `<ref>.lock` renamed over `<ref>` under
// `<git-common-dir>/refs/` (or rewrites `packed-refs` when it deletes a packed one); worker
// phases are status files under `crewtree/workers/`, tokens `usage.json` files under
// `crewtree/runs/<ID>/`. Watching those folders catches every change the page shows, from any
// process, within milliseconds.
//
// NOTE: folders are watched one by one, not with `recursive: true`: Node 20's recursive watch on
// Linux watches each file's inode, and a ref replaced by rename is a new inode, so it went deaf
// after the first claim. A folder's watch sees every rename into it.
import { watch, type FSWatcher } from 'node:fs';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workersDir } from '../studio/status-files.js';
import { baseRefName, type Workspace } from '../workspace.js';

export interface Watcher {
  stop(): void;
}

/** A watched folder: which of its subfolders (by path under `dir`) to watch too, and which names count. */
export interface WatchedPlace {
  dir: string;
  follow(path: string): boolean;
  counts(path: string): boolean;
}

/** The places the page's contents come from. */
export function watchedPlaces(ws: Workspace): WatchedPlace[] {
  const { commonDir } = ws;
  // `refs/heads/main`, or `refs/heads/release/2` for a base with a slash: its folders are followed.
  const baseDir = dirname(baseRefName(ws.config)).slice('refs/'.length);
  const baseDirs = baseDir.split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/'));
  const followedRefs = new Set([...baseDirs, 'crewtree', 'crewtree/queue', 'crewtree/queue-results']);
  return [
    // NOTE: heartbeats move every few seconds while a worker works and the page does not show them.
    { dir: join(commonDir, 'refs'), follow: (path) => followedRefs.has(path), counts: (path) => !path.endsWith('.lock') && (followedRefs.has(dirname(path)) || path === baseRefName(ws.config).slice(5)) },
    { dir: commonDir, follow: () => false, counts: (path) => path === 'packed-refs' },
    { dir: workersDir(commonDir), follow: () => false, counts: (path) => path.endsWith('.json') },
    { dir: join(commonDir, 'crewtree', 'runs'), follow: (path) => !path.includes('/'), counts: (path) => path.endsWith('/usage.json') },
  ];
}

/**
 * Calls `onChange` (once per burst: a ref's lock and rename, several status files) whenever a
 * watched place changes. Nothing runs while nothing changes.
 */
export function watchRepository(ws: Workspace, options: { onChange(): void; settleMs?: number }): Watcher {
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const changed = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopped) options.onChange();
    }, options.settleMs ?? 10);
  };

  /** Watches `path` under the place, and the subfolders it follows; forgets folders that are gone. */
  const watchFolder = (place: WatchedPlace, path: string) => {
    const dir = path ? join(place.dir, path) : place.dir;
    let names: string[];
    try {
      names = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    } catch {
      watchers.get(dir)?.close();
      watchers.delete(dir);
      return;
    }
    if (!watchers.has(dir)) {
      const watcher = watch(dir, (_event, name) => {
        const child = name === null ? null : path ? `${path}/${String(name)}` : String(name);
        if (child === null || place.counts(child)) changed();
        // NOTE: a followed folder may appear (the first queue entry) or go (git prunes an empty one).
        if (child !== null && place.follow(child)) watchFolder(place, child);
      });
      watcher.on('error', () => {
        watcher.close();
        watchers.delete(dir);
        changed();
      });
      watchers.set(dir, watcher);
    }
    for (const name of names) {
      const child = path ? `${path}/${name}` : name;
      if (place.follow(child)) watchFolder(place, child);
    }
  };

  for (const place of watchedPlaces(ws)) {
    // NOTE: runtime folders under .git/crewtree are crewtree's own; made here so they can be watched before a first worker runs.
    mkdirSync(place.dir, { recursive: true });
    watchFolder(place, '');
  }
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
