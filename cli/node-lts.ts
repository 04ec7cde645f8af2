// cli/node-lts.ts: the Node.js release line that what Prefault hands teachers installs and names
// (the GitHub workflows, Gradescope's setup.sh, PrairieLearn's image): the current Active LTS.
// Node 26 ("Lithium") became Active LTS on 2026-10-28 and stays so until 2027-10-20; Node 24
// moved to Maintenance LTS on 2026-10-20 (the Node.js Release Working Group's schedule,
// github.com/nodejs/Release). The package itself runs on Node 20 or later (package.json
// "engines"); `npm run test:node-compat` runs the tests again under 22, 24 and 26.
// When the next line becomes Active LTS, change this number and the kit tests that name it.

/** The Node major the kits install and name: the current Active LTS. */
export const NODE_LTS = 26;
