// The runtime's operator API (documented in packages/local/README.md), same origin.

/** The answer's JSON; a refusal throws an Error with the API's message. */
async function answer(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? `the endpoint answered ${response.status}`);
  return body;
}

/** GET `/_local/<path>`. */
export async function getJson(path) {
  return answer(await fetch(`/_local/${path}`, { headers: { accept: "application/json" } }));
}

/** POST `/_local/<path>` with a JSON body (the API refuses a POST of any other content type). */
export async function postJson(path, body) {
  return answer(
    await fetch(`/_local/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

/** A query string of the non-empty members. */
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters))
    if (value !== undefined && value !== "") search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : "";
}
