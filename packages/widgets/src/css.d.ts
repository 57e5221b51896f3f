/** A style sheet imported as its text (the build inlines it; see scripts/build.mjs). */
declare module '*.css' {
  const text: string;
  export default text;
}
