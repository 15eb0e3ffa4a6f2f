// The AI assistant (issue 11): conversations, turns, tools and model providers. Other parts
// import it from this file only.
export { ConversationService, type ConversationProjects } from './conversations';
