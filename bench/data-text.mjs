// What the filled database says (`npm run bench:data`): names, sentences, tags and notes, and
// the words planted so that each search has known results. Generated from a fixed seed, so two
// fills of the same size hold the same text and the JavaScript side can name what to look for.

/** Deterministic 32-bit PRNG (mulberry32): the same seed, the same sentences. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const FIRST_NAMES = (
  'Ada Ben Chloe Dora Emil Farah Gus Hana Ivan Jade Karl Lena Milo Nina Omar Pia Quinn Rosa ' +
  'Sami Tara Uma Vik Wren Xena Yuri Zoe Amir Bea Cyril Dalia Enzo Fleur Goran Ines Jonas Kira ' +
  'Luca Maya Nils Olga'
).split(' ');
export const LAST_NAMES = (
  'Smith Garcia Novak Rossi Muller Dubois Silva Kowalski Jensen Costa Ivanova Berg Moreau ' +
  'Santos Fischer Haddad Okafor Tanaka Lindqvist Petrov Byrne Navarro Weber Laine Horvat ' +
  'Nowak Bianchi Keller Duarte Varga Sato Murphy Olsen Romero Bauer Marin Kaya Popescu Reyes Ali'
).split(' ');
export const EMAIL_DOMAINS = ['example.com', 'example.org', 'mail.test', 'shop.test'];
export const AGENT_NAMES = [
  'Alice Martin',
  'Bruno Keller',
  'Carmen Diaz',
  'David Chen',
  'Elena Rossi',
  'Femi Adeyemi',
  'Greta Holm',
  'Hugo Lambert',
  'Isla Brennan',
  'Jun Park',
];
export const TAGS = [
  'billing',
  'refund',
  'shipping',
  'bug',
  'feature-request',
  'vip',
  'login',
  'invoice',
  'cancellation',
  'feedback',
  'urgent',
  'sales',
];
export const NOTES = [
  'Customer is a VIP, handle with care.',
  'Escalated to the billing team.',
  'Check the payment provider before refunding.',
  'Follow up next week if the parcel has not arrived.',
  'Prefers answers by email.',
  'Second contact about the same order.',
];
export const RATING_COMMENTS = [
  'Quick and friendly, thank you!',
  'Took too long to get an answer.',
  'Solved my problem.',
  'Still waiting for my refund.',
];
export const BROWSERS = ['Chrome', 'Firefox', 'Safari', 'Edge'];
export const SYSTEMS = ['Windows', 'macOS', 'Linux', 'iOS', 'Android'];
export const PAGES = [
  ['/', 'Home'],
  ['/pricing', 'Pricing'],
  ['/products', 'All products'],
  ['/checkout', 'Checkout'],
  ['/account/orders', 'My orders'],
  ['/help/shipping', 'Shipping and delivery'],
  ['/help/returns', 'Returns and refunds'],
  ['/blog/new-collection', 'The new collection'],
];

/** Planted words and phrases: each search of the bench has a known answer. */
export const PLANTED = {
  /** In the first message of a few conversations (see data-fill.mjs for which). */
  rareWord: 'quokka',
  /** In no message at all: a search that must look everywhere and find nothing. */
  absentWord: 'xylograph',
  /** In about a quarter of the sentence templates. */
  commonWord: 'order',
  /** One of the visitors' 28 sentence templates: its words are common, the phrase less so. */
  phrase: 'refund has not arrived',
  /**
   * Two words in a row in about one message in twelve ("Thanks for your patience", "thanks for
   * reaching out"), each word common too: the two-word phrase of issue 33.
   */
  commonPhrase: 'thanks for',
  /** Two words of `phrase` the other way round, unquoted: both in about one message in 50. */
  anyOrder: 'arrived refund',
  /** A word as typed so far: "refund" and "refunds", and the tag `refund` (5% of chats). */
  prefix: 'refu',
};

const ADJECTIVES = (
  'blue red green black white linen ceramic wooden leather wool cotton steel glass bamboo ' +
  'vintage compact deluxe travel organic waterproof'
).split(' ');
const NOUNS = (
  'mug teapot backpack jacket lamp chair notebook blanket kettle wallet sneakers scarf ' +
  'headphones vase candle planter umbrella watch bottle cushion'
).split(' ');
const CITIES = (
  'Lisbon Porto Madrid Lyon Berlin Hamburg Vienna Prague Warsaw Krakow Oslo Bergen Dublin Cork ' +
  'Milan Turin Zurich Geneva Brussels Antwerp Utrecht Tallinn Riga Vilnius Helsinki Athens'
).split(' ');
const CARRIERS = ['DHL', 'UPS', 'FedEx', 'GLS', 'DPD', 'the post office'];
const FEATURES = (
  'checkout|wishlist|account settings|order history|gift card|newsletter|mobile app|' +
  'payment methods|address book|loyalty points'
).split('|');
const WEEKDAYS = 'Monday Tuesday Wednesday Thursday Friday Saturday Sunday'.split(' ');

const VISITOR_TEMPLATES = [
  'Hi, I ordered the {product} {days} days ago and it has not shipped yet.',
  'Can you tell me where my order is?',
  'The tracking number from {carrier} does not work.',
  'I would like to return the {product}, it arrived damaged.',
  'How do I change the delivery address to {city}?',
  'Is the {product} available in another color?',
  'I was charged twice for my last order.',
  'My refund has not arrived yet.',
  'I cannot log in to my account, the password reset email never comes.',
  'Do you ship to {city}?',
  'The discount code does not apply at checkout.',
  'When will the {product} be back in stock?',
  'I need an invoice for my company, please.',
  'Can I cancel my subscription?',
  'The {feature} page shows an error when I click save.',
  'Thanks, that helped a lot!',
  'Hello, is anyone there?',
  'How long does shipping to {city} take?',
  'I want to upgrade my plan to the yearly one.',
  'The app crashes when I open {feature}.',
  'Can I add a {product} to an order I already placed?',
  'The {product} I received is not the one I ordered.',
  'Could you split my order into two deliveries?',
  'Is there a warranty on the {product}?',
  'Great, I will wait for the email then.',
  'I paid by card but the order still says pending.',
  'Do you have a store in {city}?',
  'My parcel was left with a neighbour, is that normal?',
];
const AGENT_TEMPLATES = [
  'Hi, thanks for reaching out! Let me check that for you.',
  'I can see your order was shipped with {carrier} on {weekday}.',
  'I have issued a refund; it usually takes 3 to 5 business days to appear.',
  'Could you send me your order number, please?',
  'The {product} is back in stock next {weekday}.',
  'I have updated the delivery address to {city}.',
  'Sorry about that, I have forwarded this to our billing team.',
  'You can reset your password from the login page; please check your spam folder too.',
  'Shipping to {city} takes about {days} days.',
  'Is there anything else I can help you with?',
  'I have applied a discount of {percent} percent to your next order.',
  'The {feature} issue is a known bug and our engineers are working on it.',
  'I have sent you a return label for the {product}.',
  'Your subscription is cancelled; you keep access until the end of the month.',
  'The invoice is on its way to your email.',
  'I see two charges; the second one is only an authorisation and will disappear.',
  'We ship to {city} with {carrier}, usually within {days} days.',
  'I have split the order; the {product} leaves our warehouse on {weekday}.',
  'Thanks for your patience, everything is sorted now.',
  'The warranty on the {product} is two years.',
];

function fill(template, random) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  return template
    .replaceAll('{product}', () => `${pick(ADJECTIVES)} ${pick(NOUNS)}`)
    .replaceAll('{city}', () => pick(CITIES))
    .replaceAll('{carrier}', () => pick(CARRIERS))
    .replaceAll('{feature}', () => pick(FEATURES))
    .replaceAll('{weekday}', () => pick(WEEKDAYS))
    .replaceAll('{days}', () => String(2 + Math.floor(random() * 12)))
    .replaceAll('{percent}', () => String(5 + 5 * Math.floor(random() * 5)));
}

/**
 * The sentence pools messages are made of: visitors', agents', and agents' notes. Each message
 * joins one or two sentences of its sender's pool, picked by a hash of its position.
 */
export function sentencePools(size = 3_000) {
  const random = prng(15);
  const pool = (templates) =>
    Array.from({ length: size }, (_, i) => fill(templates[i % templates.length], random));
  return { visitor: pool(VISITOR_TEMPLATES), agent: pool(AGENT_TEMPLATES), note: NOTES };
}

/** The email address of visitor number `v`: the same formula as the fill's SQL. */
export function visitorEmail(v) {
  const first = FIRST_NAMES[v % FIRST_NAMES.length];
  const last = LAST_NAMES[Math.floor(v / FIRST_NAMES.length) % LAST_NAMES.length];
  return `${first}.${last}${v}@${EMAIL_DOMAINS[v % EMAIL_DOMAINS.length]}`.toLowerCase();
}
