import { onTestFinished } from "vitest";
import {
  type StandInServer,
  type StandInServerOptions,
  startStandInServer,
} from "./stand-in-server.js";

/** A stand-in server that closes when the test that started it finishes. */
export async function standIn(options: StandInServerOptions): Promise<StandInServer> {
  const server = await startStandInServer(options);
  onTestFinished(() => server.close());
  return server;
}
