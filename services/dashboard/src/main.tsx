import { render } from 'preact';
import { App } from './app';
import { restoreSession } from './lib/api';
import './styles.css';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  void restoreSession().finally(() => render(<App />, root));
}
