import type { Author, Post, Reply } from '../schemas/posts.js';
import type { PostRepository, WholeThread } from './post-repository.js';

/**
 * The kickstart's demo users registered for the Forum (docker/fusionauth/kickstart.json), as their
 * posts sign them: signed in as one of them, a visitor sees their own posts among the others.
 */
export const demoAuthors = {
  sam: { id: 'cf367aca-b9b3-4b55-9f14-75469b3a01db', name: 'Sam Shopper' },
  max: { id: 'f8299010-e192-4e55-b6ac-ce0679bbdb4a', name: 'Max Factor' },
  chris: { id: '38e48a16-2e57-4cba-8704-9ffcd5ff8664', name: 'Chris Change' },
} as const satisfies Record<string, Author>;

interface DemoEntry {
  /** Fixed, so that whichever instance writes a thread first, every other finds it there. */
  id: string;
  author: Author;
  hoursAgo: number;
  body: string;
}

interface DemoThread {
  post: DemoEntry & { title: string };
  replies: DemoEntry[];
}

const { sam, max, chris } = demoAuthors;

/** Oldest first, as the embedded store lists posts in the order they are written. */
const demoThreads: DemoThread[] = [
  {
    post: {
      id: 'f5954cbc-f3f1-4260-bf8c-980ccdf65af2',
      author: chris,
      hoursAgo: 144,
      title: 'Welcome to the Forum',
      body: [
        'Hello, and welcome! This is where customers of the Store talk tea: what you are brewing, what you would like to try, and anything about your orders.',
        'A few house rules: be kind, stay on topic, and never post your order number or your address here.',
        'Why not introduce yourself below?',
      ].join('\n\n'),
    },
    replies: [
      {
        id: '420059b6-7236-4c62-8418-ebcbc5f7704c',
        author: sam,
        hoursAgo: 140,
        body: 'Hi everyone! Sam here. Mostly a green tea person, slowly being won over to rooibos in the evenings.',
      },
      {
        id: '0f971b34-b890-44fd-b3c3-f5c5f7185dfe',
        author: max,
        hoursAgo: 121,
        body: 'Hello! I signed in with a second factor to write this, so you know it is really me. Looking forward to swapping brewing tips.',
      },
    ],
  },
  {
    post: {
      id: 'c9e629c1-c4db-42a8-9df5-97f2126b7f3f',
      author: sam,
      hoursAgo: 72,
      title: 'My Sencha arrived without the mug I ordered',
      body: [
        'I ordered a tin of Sencha green tea and a stoneware mug together on Monday. The tea came yesterday, but there was no mug in the box, and the packing slip lists only the tea.',
        'Has anyone else had an order arrive in two parcels? Should I wait a little longer before I ask the Store about it?',
      ].join('\n\n'),
    },
    replies: [
      {
        id: '06badab2-97bc-4be4-8d1a-af00f95f21bf',
        author: max,
        hoursAgo: 69,
        body: 'Mine came in two parcels too: the mugs are packed separately, well wrapped, and mine turned up two days after the tea. I would give it until the end of the week.',
      },
      {
        id: '235df1d6-4052-4647-a2da-3de1720d567a',
        author: sam,
        hoursAgo: 26,
        body: 'The mug arrived this morning in a box of its own, without a scratch. Thank you, Max!',
      },
    ],
  },
  {
    post: {
      id: '424082df-026b-4752-b678-2c229b1b053f',
      author: max,
      hoursAgo: 50,
      title: 'Water temperature for green tea?',
      body: 'Every time I pour water straight off the boil, my green tea turns bitter. What temperature do you brew it at, and for how long? My gooseneck kettle has no thermometer.',
    },
    replies: [
      {
        id: '8fa85b91-79e5-412b-9bbb-e19e29b5e23c',
        author: chris,
        hoursAgo: 47,
        body: 'About 70 to 80 °C, for a minute or so. Without a thermometer: let the kettle stand open for four or five minutes after it boils.',
      },
      {
        id: 'e01a334e-e40d-4d5d-a9af-5a6954ddf11c',
        author: sam,
        hoursAgo: 45,
        body: 'Same here. And try a second infusion of 30 seconds: I often like it better than the first.',
      },
    ],
  },
  {
    post: {
      id: 'f0eedf19-0375-409d-b71d-c7016d1a017f',
      author: chris,
      hoursAgo: 20,
      title: 'Tip: sign in once for both the Store and the Forum',
      body: [
        'Choose "Continue with FusionAuth" when you sign in and tick "Keep me signed in": the other app then signs you in without asking for your password again. Signing out of one signs you out of both.',
        "Each app's own sign-in form works too; it just does not carry over to the other app.",
      ].join('\n\n'),
    },
    replies: [],
  },
];

const hourMs = 60 * 60 * 1000;

/** The demo threads, dated as if written in the days before `now`. */
export function demoContent(now: Date): WholeThread[] {
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * hourMs).toISOString();
  const entry = ({ id, author, hoursAgo, body }: DemoEntry): Reply => ({ id, body, author, createdAt: at(hoursAgo) });
  return demoThreads.map(({ post, replies }) => ({
    post: { ...entry(post), title: post.title } satisfies Post,
    replies: replies.map(entry),
  }));
}

/**
 * Writes the demo threads that are not there yet, oldest first, and answers how many it wrote:
 * none once they have been written, by this instance or another.
 */
export async function writeDemoContent(posts: PostRepository, now = new Date()): Promise<number> {
  let written = 0;
  for (const thread of demoContent(now)) {
    if (await posts.seed(thread)) written += 1;
  }
  return written;
}
