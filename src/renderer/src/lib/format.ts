/** A log time in the reader's locale, down to the second; the raw ISO string stays in the details. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** "a***@e*** by EMAIL (email)" — the parts Cognito returned, whichever are present. */
export function formatDelivery(parts: {
  destination?: string | undefined;
  deliveryMedium?: string | undefined;
  attributeName?: string | undefined;
}): string {
  const bits: string[] = [];
  if (parts.destination) bits.push(parts.destination);
  if (parts.deliveryMedium) bits.push(`by ${parts.deliveryMedium}`);
  if (parts.attributeName) bits.push(`(${parts.attributeName})`);
  return bits.join(' ');
}
