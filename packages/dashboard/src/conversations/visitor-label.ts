/** How a visitor is named wherever the dashboard lists one: name, else email, else a short id. */
export function visitorLabel(v: { name: string | null; email: string | null; id: string }): string {
  return v.name ?? v.email ?? `Visitor ${v.id.slice(0, 6)}`;
}
