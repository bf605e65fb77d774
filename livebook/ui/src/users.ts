// The people in a notebook: avatars (a picture, or initials on the user's
// colour) and this browser's profile, the name and picture it joins with.

import { h } from "./dom";
import type { User } from "./protocol";

/** What this browser tells sessions about its user. */
export interface Profile {
  name?: string;
  /** The URL of a picture (http, https or data:image). */
  avatar?: string;
}

const profileKey = "livebook.profile";

/** Returns the profile saved in this browser (empty: the session picks a name). */
export function loadProfile(): Profile {
  try {
    const p = JSON.parse(window.localStorage.getItem(profileKey) ?? "{}") as unknown;
    if (p && typeof p === "object") {
      const { name, avatar } = p as Record<string, unknown>;
      return {
        ...(typeof name === "string" ? { name } : {}),
        ...(typeof avatar === "string" ? { avatar } : {}),
      };
    }
  } catch {
    // Unreadable or unavailable storage: no profile.
  }
  return {};
}

/** Saves the profile in this browser. */
export function saveProfile(p: Profile): void {
  try {
    window.localStorage.setItem(profileKey, JSON.stringify(p));
  } catch {
    // Storage unavailable: the name lasts for this page only.
  }
}

/** Returns up to two initials of a name: "Ada Lovelace" → "AL", "grace" → "G". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => w !== "");
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0] ?? "");
  return letters.join("").toUpperCase() || "?";
}

/** Returns the avatar of a user: their picture, or their initials on their colour. */
export function avatar(u: User, me: boolean): HTMLElement {
  const el = h(
    "span",
    {
      class: me ? "avatar me" : "avatar",
      title: me ? `${u.name} (you; click to rename)` : u.name,
      "data-user-id": u.id,
      "data-name": u.name,
      role: "img",
      "aria-label": me ? `${u.name} (you)` : u.name,
    },
    initials(u.name),
  );
  el.style.setProperty("--color", u.color);
  if (u.avatar) {
    const img = h("img", { src: u.avatar, alt: "", referrerpolicy: "no-referrer" });
    // A picture that does not load leaves the initials.
    img.addEventListener("load", () => el.replaceChildren(img));
    img.addEventListener("error", () => img.remove());
  }
  return el;
}
