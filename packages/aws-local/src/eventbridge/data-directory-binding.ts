import { DataFileError } from "../json-files";
import type { ArchiveStore } from "./archive-store";
import type { EventBridgeDataDirectory } from "./data-directory";
import type { DeadLetterStore } from "./dead-letter-store";
import type { EventBusRegistry } from "./event-bus-registry";
import { exportConfiguration, importConfiguration } from "./eventbridge-configuration";
import type { ReplayRunner } from "./replay-runner";

/** The parts of the local EventBridge whose state a data directory keeps. */
export interface PersistedParts {
  readonly registry: Pick<EventBusRegistry, "replaceAll" | "eventBuses" | "allRules" | "onChanged">;
  readonly archives: Pick<ArchiveStore, "restore" | "dropAllExpired">;
  readonly replays: Pick<ReplayRunner, "restore" | "definitions">;
  readonly deadLetters: DeadLetterStore;
  readonly now: () => number;
}

/**
 * Loads the data directory into the parts, then keeps it up to date with their changes. (Archives and replays
 * write their own changes: they are given the directory when they are made.) A file that cannot be loaded stops
 * start-up with a {@link DataFileError} naming it (carrying on would overwrite it); unreadable lines of JSON Lines
 * files are skipped with a warning instead.
 */
export function bindDataDirectory(dataDirectory: EventBridgeDataDirectory, parts: PersistedParts): void {
  const { registry, archives, replays, deadLetters } = parts;
  const content = dataDirectory.load();
  if (content.configuration) {
    try {
      importConfiguration(registry, content.configuration, parts.now);
    } catch (error) {
      throw new DataFileError(dataDirectory.configurationPath, `could not be loaded: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }
  for (const { definition, events } of content.archives) {
    try {
      archives.restore(definition, events);
    } catch (error) {
      throw new DataFileError(
        dataDirectory.path,
        `archive ${definition.name} could not be loaded: ${messageOf(error)}`,
        { cause: error },
      );
    }
  }
  replays.restore(content.replays);
  for (const letter of content.deadLetters) deadLetters.add(letter);
  dataDirectory.saveConfiguration(exportConfiguration(registry));
  dataDirectory.saveReplays(replays.definitions());
  dataDirectory.compactDeadLetters(deadLetters.list());
  archives.dropAllExpired();
  registry.onChanged(() => dataDirectory.saveConfiguration(exportConfiguration(registry)));
  deadLetters.onDeadLetter((letter) => dataDirectory.appendDeadLetter(letter));
  deadLetters.onDeadLetterRemoved((id) => dataDirectory.removeDeadLetter(id));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
