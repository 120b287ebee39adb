import {
  attemptFrom,
  failedAttempt,
  isSuccess,
  listOf,
  oneByOne,
  parseJsonBody,
  type Revoker,
  stringField,
} from "../revoker.js";

/**
 * Layer AI: any key of an account may manage the account's keys. List them, pick the one whose
 * `keyPrefix` is the leaked key's first 12 characters, delete it by id, all with the key itself.
 */

const PREFIX_LENGTH = 12;

export const layerKeys: Revoker = {
  name: "layer-keys",
  mechanism: "self",
  service: "layer",
  bases: { layer: "https://api.uselayer.ai" },
  credentialEnv: [],
  describe: () =>
    "GET /v1/keys to find the key by its 12-character prefix, then DELETE /v1/keys/{id}, with the key itself",
  blocker: () => undefined,
  revoke: oneByOne(async (target, context) => {
    const authorization = `Bearer ${target.secret}`;
    const listed = await context.send({
      method: "GET",
      path: "/v1/keys",
      headers: { authorization },
      destructive: false,
    });
    if (!isSuccess(listed.status)) {
      return failedAttempt(listed, "listing keys");
    }
    const prefix = target.secret.slice(0, PREFIX_LENGTH);
    const keys = listOf(parseJsonBody(listed.body), "keys", "data");
    const matches = keys.filter(
      (key) => (stringField(key, "keyPrefix") ?? stringField(key, "key_prefix")) === prefix,
    );
    const id = matches.length === 1 ? stringField(matches[0], "id") : undefined;
    if (!id) {
      const why =
        matches.length === 0
          ? "no listed key has its prefix"
          : `${matches.length} listed keys share its prefix`;
      return {
        accepted: false,
        httpStatus: listed.status,
        detail: `cannot find the key's id: ${why}`,
      };
    }
    const response = await context.send({
      method: "DELETE",
      path: `/v1/keys/${encodeURIComponent(id)}`,
      headers: { authorization },
      destructive: true,
    });
    return attemptFrom(response, `key ${id} deleted (${response.status})`, "Layer");
  }),
};
